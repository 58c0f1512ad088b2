package org.trapline.deploy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The service image holds the services and nothing that tests or a developer's machine need. Jib puts this
 * module's runtime dependencies on the image's class path; the build lists them (dependency:list, runtime scope,
 * before the tests) and this test reads that list: a compile-scope dependency on test code would bring JUnit,
 * and one on the local stack a whole Kafka broker (kafka_2.13), into every container.
 */
class ImageClasspathTest {

    /** Where the build writes the list (a property of deploy/pom.xml, handed to the tests by Surefire). */
    private static final String LIST_PROPERTY = "trapline.image.dependencies";

    /** groupId:artifactId, from a line of dependency:list such as "   org.apache.avro:avro:jar:1.12.1:compile -- module …". */
    private static final Pattern ARTIFACT = Pattern.compile("^\\s+([\\w.\\-]+):([\\w.\\-]+):[^:\\s]+:.*$");

    @Test
    void theImageCarriesNoTestFrameworkNoBrokerAndNoDeveloperTools() throws IOException {
        List<String> artifacts = imageArtifacts();
        for (String service : List.of("trapline-ingest", "trapline-detector", "trapline-identifier", "trapline-aggregator")) {
            assertTrue(artifacts.contains("org.trapline:" + service), "the list is the image's: it has " + service + ": " + artifacts);
        }
        List<String> unwanted = artifacts.stream().filter(ImageClasspathTest::unwanted).toList();
        assertEquals(List.of(), unwanted, "test code, a broker or developer tools on the service image's class path");
    }

    /** JUnit, the broker, and the modules that hold tests' and developers' parts. */
    static boolean unwanted(String artifact) {
        String group = artifact.substring(0, artifact.indexOf(':'));
        return group.equals("junit") || group.startsWith("org.junit")
                || artifact.equals("org.apache.kafka:kafka_2.13")
                || artifact.equals("org.apache.kafka:kafka-test-common-runtime")
                || List.of("org.trapline:trapline-test-support", "org.trapline:trapline-localstack",
                        "org.trapline:trapline-synthetic", "org.trapline:trapline-devtools").contains(artifact);
    }

    private static List<String> imageArtifacts() throws IOException {
        String list = System.getProperty(LIST_PROPERTY);
        assertNotNull(list, LIST_PROPERTY + " is not set: run this test through Maven (mvn -pl deploy -am verify)");
        List<String> artifacts = Files.readAllLines(Path.of(list)).stream()
                .map(ARTIFACT::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1) + ":" + m.group(2))
                .toList();
        assertTrue(artifacts.size() > 20, "the dependency list " + list + " is read: " + artifacts);
        return artifacts;
    }
}
