package org.trapline.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * deploy/compose/compose.yaml as Docker Compose reads it, checked against the code ({@link ComposeChecks});
 * {@link BrokenManifestsTest} shows each check failing on a broken copy.
 */
class ComposeFileTest {

    @Test
    void theComposeFilePassesEveryCheck() {
        List<String> problems = ComposeChecks.check(DeployFiles.load());
        assertEquals(List.of(), problems, "problems in deploy/compose:\n  " + String.join("\n  ", problems));
    }

    @Test
    void interpolationTakesTheDefaults() {
        assertEquals("trapline/trapline:latest", ComposeChecks.interpolate("${TRAPLINE_IMAGE:-trapline/trapline:latest}"));
        assertEquals("../m:/models:ro", ComposeChecks.interpolate("${MODELS-../m}:/models:ro"));
        assertEquals(":/x", ComposeChecks.interpolate("${UNSET}:/x"));
    }
}
