package org.trapline.testsupport.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link TestStack} parameter. The stack is started on first use and kept in the root
 * context's store, so one broker and one registry serve every test class of the JVM; JUnit closes it
 * when the run ends.
 */
public final class TestStackExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestStack.class, key -> {
                    try {
                        return TestStack.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start the test broker and registry", e);
                    }
                }, TestStack.class);
    }
}
