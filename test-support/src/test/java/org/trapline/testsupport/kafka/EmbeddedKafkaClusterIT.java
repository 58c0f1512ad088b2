package org.trapline.testsupport.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault-test cluster: three brokers with a separate controller, losing a broker mid-stream. */
class EmbeddedKafkaClusterIT {

    @Test
    void noAcknowledgedWriteIsLostWhenTheLeaderBrokerStops(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.withSeparateControllers(3, 1, dir)) {
            int leader;
            try (var admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("survivors", 1, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get();
                leader = admin.describeTopics(List.of("survivors")).allTopicNames().get()
                        .get("survivors").partitions().get(0).leader().id();
            }
            Map<String, Object> producerConfig = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
            try (var producer = new KafkaProducer<>(producerConfig, new IntegerSerializer(), new IntegerSerializer())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("survivors", i, i)).get();
                }
                cluster.stopBroker(leader);
                for (int i = 100; i < 200; i++) {
                    producer.send(new ProducerRecord<>("survivors", i, i)).get();  // acknowledged by two replicas
                }
            }
            try (var admin = cluster.admin()) {
                int newLeader = admin.describeTopics(List.of("survivors")).allTopicNames().get()
                        .get("survivors").partitions().get(0).leader().id();
                assertNotEquals(leader, newLeader, "leadership moved to a surviving broker");
            }

            List<Integer> read = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "survivor-reader",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new IntegerDeserializer(),
                    new IntegerDeserializer())) {
                consumer.subscribe(List.of("survivors"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (read.size() < 200 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                }
            }
            assertEquals(IntStream.range(0, 200).boxed().toList(), read, "every acknowledged write, once, in order");
        }
    }
}
