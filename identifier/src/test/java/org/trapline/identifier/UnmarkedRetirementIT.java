package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.localstack.samples.SharedData;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * A gallery made while every species was re-identified, read by an identifier that marks only the class of sharks
 * and rays (as the demo does): on start it retires the provisional individuals of species it now calls unmarked,
 * a brown bear (its class, Mammalia, from the classifier's taxonomy) and a detector's "dog", in one transaction
 * on the real broker, and keeps a confirmed bear, a ray, and a species the taxonomy does not know (the class rule
 * could be its). The API's one-off command then finds nothing more to retire.
 */
@ExtendWith(TestStackExtension.class)
class UnmarkedRetirementIT {

    static final String OPERATOR_KEY = ApiKeys.newKey();

    @Test
    void provisionalIndividualsOfUnmarkedSpeciesAreRetiredOnStart(TestStack stack, @TempDir Path dataDir) throws Exception {
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of(
                "models.dir", SharedData.locate().models().toString(),
                "identifier.http.port", "0",
                "identifier.species.chondrichthyes.matchers", "embedding",
                "ingest.operator.amara.key.sha256", ApiKeys.hash(OPERATOR_KEY)));
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bear = "bear-" + run;
        String confirmedBear = "confirmed-bear-" + run;
        String dog = "dog-" + run;
        String ray = "ray-" + run;
        String unknown = "unknown-" + run;
        IdentifierRecords records = IdentifierRecords.fromConfig(config);
        try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("retirement-it", null),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(records.individual(individual(bear, "Ursus arctos", IndividualStatus.PROVISIONAL))).get();
            producer.send(records.individual(individual(confirmedBear, "Ursus arctos", IndividualStatus.CONFIRMED))).get();
            producer.send(records.individual(individual(dog, "dog", IndividualStatus.PROVISIONAL))).get();
            producer.send(records.individual(individual(ray, "Chondrichthyes", IndividualStatus.PROVISIONAL))).get();
            producer.send(records.individual(individual(unknown, "Zzzus ignotus", IndividualStatus.PROVISIONAL))).get();
        }

        Set<String> ours = Set.of(bear, confirmedBear, dog, ray, unknown);
        try (IdentifierService identifier = IdentifierService.start(config)) {
            List<ConsumerRecord<String, IndividualUpdate>> updates = TopicReader.readUntil(
                    new KafkaClientSettings(config).consumer("individuals", "retirement-it"), Topics.INDIVIDUALS.name(),
                    new StringDeserializer(), Topics.INDIVIDUALS.valueSerde(config).deserializer(), r -> ours.contains(r.key()),
                    // every one of ours read (they lie on several partitions), and both retirements
                    read -> read.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(ours)
                            && read.stream().filter(r -> r.value().getChange() == IndividualChange.RETIRED).count() >= 2,
                    Duration.ofSeconds(60));
            Map<String, IndividualUpdate> latest = updates.stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> b));
            assertEquals(IndividualStatus.RETIRED, latest.get(bear).getStatus());
            assertEquals(IndividualStatus.RETIRED, latest.get(dog).getStatus());
            assertEquals(List.of(bear + "-s1"), latest.get(bear).getSightingIds(), "its sightings stay on record");
            assertEquals(IndividualStatus.CONFIRMED, latest.get(confirmedBear).getStatus());
            assertEquals(IndividualStatus.PROVISIONAL, latest.get(ray).getStatus());
            assertEquals(IndividualStatus.PROVISIONAL, latest.get(unknown).getStatus());

            IdentifierFeed feed = new IdentifierFeed(config, "north");
            String base = "http://127.0.0.1:" + identifier.port();
            Set<String> live = liveIds(feed.get(base + "/api/individuals"));
            assertTrue(live.containsAll(Set.of(confirmedBear, ray, unknown)), "kept: " + live);
            assertTrue(!live.contains(bear) && !live.contains(dog), "retired: " + live);

            assertEquals(401, feed.send("POST", base + "/api/individuals/retire-unmarked", "", null).statusCode());
            HttpResponse<String> again = feed.send("POST", base + "/api/individuals/retire-unmarked?dryRun=true", "", OPERATOR_KEY);
            assertEquals(200, again.statusCode(), again.body());
            Set<String> wouldRetire = liveIds(feed.json.readTree(again.body()).get("individuals"));
            assertTrue(wouldRetire.stream().noneMatch(ours::contains), "nothing of ours is left to retire: " + wouldRetire);
        }
    }

    private static Set<String> liveIds(JsonNode individuals) {
        Set<String> ids = new TreeSet<>();
        individuals.forEach(i -> ids.add(i.get("individualId").asText()));
        return ids;
    }

    private static IndividualUpdate individual(String id, String species, IndividualStatus status) {
        return IndividualUpdate.newBuilder()
                .setIndividualId(id)
                .setChange(IndividualChange.CREATED)
                .setStatus(status)
                .setTime(Instant.parse("2026-05-01T10:00:00Z"))
                .setSpecies(species)
                .setSiteIds(List.of("north"))
                .setSightingIds(List.of(id + "-s1"))
                .setSightingTimes(Map.of(id + "-s1", Instant.parse("2026-05-01T10:00:00Z")))
                .setActor("an identifier that re-identified every species")
                .build();
    }
}
