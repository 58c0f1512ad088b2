package org.trapline.identifier.http.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.trapline.identifier.identify.PhotoIdentifier;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.ReferenceCrop;

/** The API's JSON, as the views write it: the fields, in their order, as the maps they replace wrote them. */
class ViewsTest {

    final ObjectMapper json = ServiceHttp.jsonMapper();

    static IndividualUpdate individual() {
        return IndividualUpdate.newBuilder().setIndividualId("ind-1").setChange(IndividualChange.CREATED)
                .setStatus(IndividualStatus.PROVISIONAL).setTime(Instant.parse("2026-05-02T09:00:00Z")).setSpecies("manta")
                .setSightingIds(List.of("s1")).setReferences(List.of(ReferenceCrop.newBuilder().setSightingId("s1").setFrameId("f1")
                        .setBlob(new BlobRef("fs", "k", 3L)).setBbox(new BoundingBox(0f, 0f, 1f, 1f)).build(),
                        ReferenceCrop.newBuilder().setFrameId("f0").setBlob(new BlobRef("fs", "k", 3L))
                                .setBbox(new BoundingBox(0f, 0f, 1f, 1f)).build()))
                .setLastSeen(Instant.parse("2026-05-02T09:00:00Z")).build();
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aProfileIsTheIndividualWithItsYoungAfterIt() throws Exception {
        JsonNode profile = json.valueToTree(new ProfileView(IndividualView.of(individual()), List.of("calf")));
        assertEquals(List.of("individualId", "name", "species", "status", "lastChange", "updated", "siteIds", "sightingIds",
                "mergedInto", "mergedFrom", "splitFrom", "references", "firstSeen", "lastSeen", "lifeHistory", "young"),
                fields(profile));
        assertEquals("PROVISIONAL", profile.get("status").asText());
        assertEquals("2026-05-02T09:00:00Z", profile.get("updated").asText());
        assertTrue(profile.get("name").isNull(), "unset fields are there, as null");
        assertEquals("/api/sightings/s1/crop.jpg", profile.get("references").get(0).get("crop").asText());
        assertEquals("null", profile.get("references").get(1).get("sightingId").asText(), "a reference of no sighting");
        assertEquals("", profile.get("references").get(1).get("crop").asText());
        assertFalse(profile.get("lifeHistory").get("recorded").asBoolean());
        assertEquals("ALIVE", profile.get("lifeHistory").get("status").asText(), "the unrecorded life history's defaults");
    }

    @Test
    void anIdentificationSaysRecordedOnlyWhenThePhotoWasRecorded() {
        PhotoIdentifier.Result result = new PhotoIdentifier.Result(MatchDecision.NEW_PROVISIONAL, null, null, List.of("manta"),
                Set.of("local-features"), List.of());
        IdentificationView view = new IdentificationView(result.decision().name(), null, null, result.species(), null, null,
                result.decidingMatchers(), false, List.of(), null);
        JsonNode answer = json.valueToTree(view);
        assertEquals(List.of("decision", "individualId", "score", "species", "site", "box", "decidingMatchers", "published",
                "candidates"), fields(answer));
        JsonNode recorded = json.valueToTree(view.recorded(new IdentificationView.Recorded("cam", "f9", 201,
                json.valueToTree(Map.of("frameId", "f9")))));
        assertEquals("f9", recorded.get("recorded").get("ingest").get("frameId").asText());
    }
}
