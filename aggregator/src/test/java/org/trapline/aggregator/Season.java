package org.trapline.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Correction;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.topics.Topics;

/** Writing synthetic seasons to the real topics, and site names that land where a test wants them. */
final class Season {

    private Season() {
    }

    static void send(TraplineConfig config, List<Sighting> sightings, List<IndividualUpdate> updates) throws Exception {
        send(config, sightings, updates, List.of());
    }

    /** Sightings, then gallery updates, then corrections (which should come after what they correct). */
    static void send(TraplineConfig config, List<Sighting> sightings, List<IndividualUpdate> updates,
                     List<Correction> corrections) throws Exception {
        var settings = new KafkaClientSettings(config);
        try (var producer = new KafkaProducer<>(settings.producer("aggregator-it-" + UUID.randomUUID(), null),
                Topics.SIGHTINGS.keySerde().serializer(), Topics.SIGHTINGS.valueSerde(config).serializer());
             var gallery = new KafkaProducer<>(settings.producer("aggregator-it-" + UUID.randomUUID(), null),
                     Topics.INDIVIDUALS.keySerde().serializer(), Topics.INDIVIDUALS.valueSerde(config).serializer())) {
            for (Sighting s : sightings) {
                producer.send(new ProducerRecord<>(Topics.SIGHTINGS.name(), s.getSiteId(), s));
            }
            producer.flush();
            for (IndividualUpdate u : updates) {
                gallery.send(new ProducerRecord<>(Topics.INDIVIDUALS.name(), u.getIndividualId(), u));
            }
            gallery.flush();
        }
        if (corrections.isEmpty()) {
            return;
        }
        try (var producer = new KafkaProducer<>(settings.producer("aggregator-it-" + UUID.randomUUID(), null),
                Topics.CORRECTIONS.keySerde().serializer(), Topics.CORRECTIONS.valueSerde(config).serializer())) {
            for (Correction c : corrections) {
                producer.send(new ProducerRecord<>(Topics.CORRECTIONS.name(), c.getFrameId(), c));
            }
            producer.flush();
        }
    }

    /**
     * {@code count} site names, one for each partition of the aggregator's internal topics (of
     * {@code partitions}) as far as they go, so that every instance of a group owns some of them.
     */
    static List<String> sitesOnEveryPartition(String prefix, int count, int partitions) {
        List<String> sites = new ArrayList<>();
        boolean[] taken = new boolean[partitions];
        for (int i = 0; sites.size() < count; i++) {
            String candidate = prefix + "-site" + i;
            int partition = partition(candidate, partitions);
            Predicate<Integer> free = p -> !taken[p];
            if (free.test(partition) || sites.size() >= partitions) {
                taken[partition] = true;
                sites.add(candidate);
            }
        }
        return sites;
    }

    static int partition(String site, int partitions) {
        return Utils.toPositive(Utils.murmur2(site.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
