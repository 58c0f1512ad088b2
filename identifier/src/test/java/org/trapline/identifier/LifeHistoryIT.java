package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeStatus;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.Sex;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * Life histories through the review API of a running identifier on the real broker and registry: each edit
 * published as the individual's whole state, every impossible edit refused with its 4xx and nothing
 * published, a merge of a female and a male refused until the request says which sex stands, a later update
 * carrying the life history, and a restart rebuilding it from the gallery topic. Four mantas are four
 * individuals (the thresholds are set beyond any score, so each photo is a new one), of a species of their own
 * ({@code manta-…}): the module's integration tests share one broker, and so one gallery topic.
 */
@ExtendWith(TestStackExtension.class)
class LifeHistoryIT {

    static final String OPERATOR_KEY = ApiKeys.newKey();
    static final Instant T0 = Instant.parse("2026-05-02T09:00:00Z");

    IdentifierFeed feed;
    String base;

    @Test
    void lifeHistoriesAreEditedCheckedPublishedAndRebuilt(TestStack stack, @TempDir Path dataDir) throws Exception {
        Path mantas = SharedData.locate().images().resolve("reid-manta/database");
        String species = "manta-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of(
                "models.dir", SharedData.locate().models().toString(),
                "identifier.http.port", "0",
                "identifier.species." + species + ".matchers", "local-features",
                "identifier.matcher.local-features.match", "100000",
                "identifier.matcher.local-features.review", "99999",
                "ingest.operator.amara.key.sha256", ApiKeys.hash(OPERATOR_KEY)));
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        feed = new IdentifierFeed(config, "reef");

        String mum;
        String calf;
        String bull;
        String other;
        try (IdentifierService identifier = IdentifierService.start(config)) {
            base = "http://127.0.0.1:" + identifier.port() + "/api/individuals/";
            List<String> photos = List.of("candy-db-01.png", "april-db-01.png", "jel-db-01.png", "valentine-db-01.png");
            for (int i = 0; i < photos.size(); i++) {
                feed.publish(feed.frame("f" + i, mantas.resolve(photos.get(i)), T0.plusSeconds(60L * i), species,
                        IdentifierFeed.WHOLE));
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < photos.size(); i++) {
                var sighting = feed.awaitSighting("f" + i + ":0", s -> true);
                assertEquals(MatchDecision.NEW_PROVISIONAL, sighting.getDecision());
                ids.add(sighting.getIndividualId());
            }
            mum = ids.get(0);
            calf = ids.get(1);
            bull = ids.get(2);
            other = ids.get(3);
            JsonNode fresh = feed.get(base + mum);
            assertEquals(T0.toString(), fresh.get("firstSeen").asText(), "the gallery knows when it was seen");
            assertEquals(T0.toString(), fresh.get("lastSeen").asText());
            assertEquals(false, fresh.get("lifeHistory").get("recorded").asBoolean());

            // edits: an operator's key, one whole update each
            assertEquals(401, feed.send("PUT", base + mum + "/sex", "{\"sex\":\"FEMALE\"}", null).statusCode());
            JsonNode female = ok("PUT", mum + "/sex", "{\"sex\":\"female\"}");
            assertEquals("FEMALE", female.get("individuals").get(0).get("lifeHistory").get("sex").asText());
            ok("PUT", mum + "/birth", "{\"birthDate\":\"2019-06-01\",\"birthDateKind\":\"FIRST_SEEN_YOUNG\"}");
            ok("PUT", mum + "/age-class", "{\"ageClass\":\"ADULT\",\"ageAssessedOn\":\"2026-05-02\"}");
            ok("PUT", mum + "/marks", "{\"marks\":\"notch in the left wing tip\"}");
            ok("PUT", bull + "/sex", "{\"sex\":\"MALE\"}");
            ok("PATCH", calf + "/life-history", "{\"birthDate\":\"2018-01-01\",\"birthDateKind\":\"BORN\",\"ageClass\":\"JUVENILE\"}");

            // impossible edits: a precise 4xx each, nothing published
            refused("PUT", calf + "/mother", "{\"motherId\":\"" + bull + "\"}", 422, bull + " is MALE");
            refused("PUT", calf + "/mother", "{\"motherId\":\"ind-nobody\"}", 422, "'ind-nobody' is not a known individual");
            refused("PUT", calf + "/mother", "{\"motherId\":\"" + calf + "\"}", 422, "its own mother");
            refused("PUT", calf + "/mother", "{\"motherId\":\"" + mum + "\"}", 422, "not born before her young");
            ok("PUT", calf + "/birth", "{\"birthDate\":\"2026-04-20\",\"birthDateKind\":\"BORN\"}");
            JsonNode young = ok("PUT", calf + "/mother", "{\"motherId\":\"" + mum + "\"}");
            assertEquals(mum, young.get("individuals").get(0).get("lifeHistory").get("motherId").asText());
            refused("PUT", mum + "/sex", "{\"sex\":\"MALE\"}", 422, "cannot be the mother of " + calf);
            // seen 2026-05-02T09:02Z: that was 2026-05-01 west of the date line, so the 1st may be its last day
            for (String death : List.of("PRESUMED_DEAD", "CONFIRMED_DEAD")) {
                refused("PUT", bull + "/status", "{\"status\":\"" + death + "\",\"statusDate\":\"2026-04-30\"}", 422,
                        "before " + bull + "'s last sighting, " + T0.plusSeconds(120));
            }
            String future = LocalDate.now(ZoneOffset.ofHours(14)).plusDays(1).toString();
            refused("PUT", bull + "/status", "{\"status\":\"PRESUMED_DEAD\",\"statusDate\":\"" + future + "\"}", 422,
                    "statusDate " + future + " of " + bull + " is in the future");
            refused("PUT", bull + "/sex", "{\"sex\":\"HERMAPHRODITE\"}", 400, "'sex' is one of [UNKNOWN, FEMALE, MALE]");
            refused("PUT", bull + "/status", "{\"statusDate\":\"2026-06-01\"}", 400, "'status' is required");
            refused("PUT", bull + "/status", "{\"status\":\"CONFIRMED_DEAD\",\"statusDate\":\"1 June\"}", 400,
                    "'statusDate' is a date such as 2026-03-14");
            refused("PATCH", bull + "/life-history", "{}", 400, "nothing to change");
            refused("PUT", "ind-nobody/sex", "{\"sex\":\"MALE\"}", 404, "no individual 'ind-nobody'");
            JsonNode presumed = ok("PUT", bull + "/status", "{\"status\":\"PRESUMED_DEAD\",\"statusDate\":\"2026-05-01\"}");
            assertEquals("PRESUMED_DEAD", presumed.get("individuals").get(0).get("lifeHistory").get("status").asText());

            // a female and a male are one animal only if the reviewer says which sex it is
            ok("PUT", other + "/sex", "{\"sex\":\"MALE\"}");
            refused("POST", mum + "/merge", "{\"from\":\"" + other + "\"}", 409, mum + " is FEMALE and " + other + " is MALE");
            assertEquals("PROVISIONAL", feed.get(base + other).get("status").asText(), "the refused merge changed nothing");
            JsonNode merged = ok("POST", mum + "/merge?sex=FEMALE", "{\"from\":\"" + other + "\"}");
            JsonNode survivor = merged.get("individuals").get(1);
            assertEquals(mum, survivor.get("individualId").asText());
            assertEquals("FEMALE", survivor.get("lifeHistory").get("sex").asText());
            assertEquals("notch in the left wing tip", survivor.get("lifeHistory").get("marks").asText());
            assertEquals(T0.plusSeconds(180).toString(), survivor.get("lastSeen").asText(), "the absorbed one's sighting");

            ok("PUT", mum + "/name", "{\"name\":\"Candy\"}");
            JsonNode profile = feed.get(base + mum);
            assertEquals(List.of(calf), IdentifierFeed.texts(profile.get("young")));
        }

        // what was published: each accepted change once, as the whole state; a refused one nothing
        Set<String> ours = Set.of(mum, calf, bull, other);
        List<ConsumerRecord<String, IndividualUpdate>> updates = TopicReader.readUntil(
                new KafkaClientSettings(feed.config).consumer("individuals", "life-history-it"), Topics.INDIVIDUALS.name(),
                new StringDeserializer(), Topics.INDIVIDUALS.valueSerde(feed.config).deserializer(), r -> ours.contains(r.key()),
                read -> finalStates(read, mum, calf, bull, other), Duration.ofSeconds(60));
        assertTrue(finalStates(updates, mum, calf, bull, other), "every individual's last change was published");
        Map<String, Long> perIndividual = new HashMap<>();
        updates.forEach(r -> perIndividual.merge(r.key(), 1L, Long::sum));
        // one partition per key, so nothing of an individual comes after its last change: mum created, then sex,
        // birth, age, marks, the merge, the name; calf created, then the life history, the birth, the mother; bull
        // created, then sex and status; the other created, then sex, then merged away
        assertEquals(Map.of(mum, 7L, calf, 4L, bull, 3L, other, 3L), perIndividual);
        IndividualUpdate named = updates.stream().filter(r -> r.key().equals(mum)).toList().getLast().value();
        assertEquals(Sex.FEMALE, named.getLifeHistory().getSex(), "the rename carries the life history");
        assertEquals(LocalDate.parse("2019-06-01"), named.getLifeHistory().getBirthDate());

        // a restart rebuilds the life histories from the gallery topic
        try (IdentifierService again = IdentifierService.start(feed.config)) {
            base = "http://127.0.0.1:" + again.port() + "/api/individuals/";
            JsonNode rebuilt = feed.get(base + mum).get("lifeHistory");
            assertEquals("FEMALE", rebuilt.get("sex").asText());
            assertEquals("ADULT", rebuilt.get("ageClass").asText());
            assertEquals("2026-05-02", rebuilt.get("ageAssessedOn").asText());
            assertEquals("FIRST_SEEN_YOUNG", rebuilt.get("birthDateKind").asText());
            assertEquals(mum, feed.get(base + calf).get("lifeHistory").get("motherId").asText());
            assertEquals(LifeStatus.PRESUMED_DEAD.name(), feed.get(base + bull).get("lifeHistory").get("status").asText());
            assertEquals(List.of(calf), IdentifierFeed.texts(feed.get(base + mum).get("young")));
            refused("PUT", calf + "/mother", "{\"motherId\":\"" + bull + "\"}", 422, bull + " is MALE");
            JsonNode absorbed = feed.get(base + other);
            assertEquals(mum, absorbed.get("mergedInto").asText());
            assertEquals("MALE", absorbed.get("lifeHistory").get("sex").asText(), "the absorbed one's record stays as it was");
            assertNull(absorbed.get("lastSeen").textValue(), "its sightings are the survivor's");
        }
    }

    /** Whether each individual's last change of the test has been read. */
    static boolean finalStates(List<ConsumerRecord<String, IndividualUpdate>> read, String mum, String calf, String bull,
                               String other) {
        Map<String, IndividualUpdate> latest = new HashMap<>();
        read.forEach(r -> latest.put(r.key(), r.value()));
        return latest.containsKey(mum) && "Candy".equals(latest.get(mum).getName())
                && latest.containsKey(calf) && latest.get(calf).getLifeHistory() != null
                && mum.equals(latest.get(calf).getLifeHistory().getMotherId())
                && latest.containsKey(bull) && latest.get(bull).getLifeHistory() != null
                && latest.get(bull).getLifeHistory().getStatus() == LifeStatus.PRESUMED_DEAD
                && latest.containsKey(other) && latest.get(other).getMergedInto() != null;
    }

    JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> response = feed.send(method, base + path, body, OPERATOR_KEY);
        assertEquals(200, response.statusCode(), method + " " + path + " " + body + ": " + response.body());
        return feed.json.readTree(response.body());
    }

    void refused(String method, String path, String body, int status, String reason) throws Exception {
        HttpResponse<String> response = feed.send(method, base + path, body, OPERATOR_KEY);
        assertEquals(status, response.statusCode(), method + " " + path + " " + body + ": " + response.body());
        String error = feed.json.readTree(response.body()).get("error").asText();
        assertTrue(error.contains(reason), "'" + error + "' should say '" + reason + "'");
    }
}
