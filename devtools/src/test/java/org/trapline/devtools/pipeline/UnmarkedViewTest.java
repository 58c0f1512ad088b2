package org.trapline.devtools.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The main job's table of unmarked species: a row per survey, with its MaxN animals beside its events. */
class UnmarkedViewTest {

    @Test
    void aRowShowsEventsAnimalsAndTheOccupancyFit() throws Exception {
        JsonNode survey = new ObjectMapper().readTree("""
                {"species": "Felis catus", "independentEvents": 2, "occupancy": {"status": "ESTIMATED", "sites": 4,
                 "sitesDetected": 2, "naiveOccupancy": 0.5, "psi": {"estimate": 0.61, "lower95": 0.2, "upper95": 0.9},
                 "p": {"estimate": 0.3, "lower95": 0.1, "upper95": 0.6}}}""");
        JsonNode unknown = new ObjectMapper().readTree("""
                {"species": "Aves", "independentEvents": 1, "occupancy": {"status": "NOT_ESTIMABLE", "sites": 4,
                 "sitesDetected": 0, "naiveOccupancy": 0.0, "psi": null, "p": null}}""");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new UnmarkedView(Map.of("samples", List.of(survey, unknown)), Map.of("samples", Map.of("Felis catus", 3L)))
                .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*samples +Felis catus +2 +3 +2 of 4 +0\\.50 +0\\.610 \\[0\\.200, 0\\.900\\] +0\\.300 \\[0\\.100, 0\\.600\\].*"), out);
        assertTrue(out.matches("(?s).*samples +Aves +1 +- +0 of 4 +0\\.00 +- \\(not_estimable\\).*"), out);
    }
}
