package org.trapline.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.Frame;
import org.trapline.schema.SampleRecords;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * Records whose bytes are not a valid Avro payload for their topic go to the dead-letter topic, whole
 * and with the reason, through the one shared handler: from a plain consumer and from Kafka Streams.
 * The good records around them are all processed.
 */
@ExtendWith(TestStackExtension.class)
class DeadLetterIT {

    /** Not Avro at all: a JPEG header sent to the frames topic by mistake. */
    static final byte[] NOT_AVRO = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};
    /** The wire format's magic byte, then a schema id the registry never gave out. */
    static final byte[] UNKNOWN_SCHEMA = {0, 0x7f, 0x00, 0x12, 0x34, 2, 4, 6};

    static TraplineConfig config;
    static KafkaClientSettings clients;

    @BeforeAll
    static void setUp(TestStack stack, @TempDir Path dataDir) {
        config = TraplineConfig.of(stack.config(dataDir));
        clients = new KafkaClientSettings(config);
        new TopicSetup(config).run();
    }

    @Test
    void aConsumerSendsUndecodableRecordsToTheDeadLetterTopic() throws Exception {
        String camera = "cam-dlq-consumer-" + UUID.randomUUID();
        Frame before = SampleRecords.frame(camera);
        Frame after = SampleRecords.frame(camera);
        List<RecordMetadata> sent = produce(camera, encode(before), NOT_AVRO, UNKNOWN_SCHEMA, encode(after));

        var deserializer = Topics.FRAMES.valueSerde(config).deserializer();
        DeadLetterRouter router = new DeadLetterRouter("consumer-test",
                Topics.DEAD_LETTERS.valueSerde(config).serializer(), Clock.systemUTC());
        List<Frame> decoded = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(clients.consumer("dlq-" + UUID.randomUUID(), "dlq-test"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(clients.producer("dlq-test", null), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            TopicPartition tp = new TopicPartition(Topics.FRAMES.name(), sent.get(0).partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, sent.get(0).offset());
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (seen++ < sent.size()) {
                        router.decode(record, deserializer, producer).ifPresent(decoded::add);
                    }
                }
            }
            producer.flush();
        }
        assertEquals(List.of(before, after), decoded, "the good records on both sides of the bad ones are processed");

        List<DeadLetter> letters = awaitDeadLetters(l -> l.getService().equals("consumer-test")
                && l.getOriginalPartition() == sent.get(0).partition()
                && (l.getOriginalOffset() == sent.get(1).offset() || l.getOriginalOffset() == sent.get(2).offset()), 2);
        assertDeadLetter(letters.get(0), camera, sent.get(1), NOT_AVRO);
        assertTrue(letters.get(0).getReason().contains("not in the schema registry wire format"),
                letters.get(0).getReason());
        assertDeadLetter(letters.get(1), camera, sent.get(2), UNKNOWN_SCHEMA);
        assertTrue(letters.get(1).getReason().contains("schema id 2130711092"), letters.get(1).getReason());
        assertTrue(letters.get(1).getReason().contains("HTTP 404"), letters.get(1).getReason());
    }

    @Test
    void kafkaStreamsSendsUndecodableRecordsToTheDeadLetterTopicAndCarriesOn(TestStack stack,
                                                                             @TempDir Path stateDir) throws Exception {
        String camera = "cam-dlq-streams-" + UUID.randomUUID();
        String output = "frame-ids-" + UUID.randomUUID();
        try (var admin = stack.kafka().admin()) {
            admin.createTopics(List.of(new NewTopic(output, 1, (short) 1))).all().get();
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.FRAMES.name(), Consumed.with(Topics.FRAMES.keySerde(), Topics.FRAMES.valueSerde(config)))
                .filter((key, frame) -> camera.equals(frame.getCameraId()))
                .mapValues(Frame::getFrameId)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        String service = "streams-test-" + UUID.randomUUID();
        Map<String, Object> props = new KafkaClientSettings(config.with(TraplineConfig.DATA_DIR, stateDir.toString()))
                .streams("dlq-streams-" + UUID.randomUUID(), service);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), toProperties(props))) {
            streams.start();
            Frame before = SampleRecords.frame(camera);
            Frame after = SampleRecords.frame(camera);
            List<RecordMetadata> sent = produce(camera, encode(before), NOT_AVRO, encode(after));

            List<String> ids = awaitValues(output, 2);
            assertEquals(List.of(before.getFrameId(), after.getFrameId()), ids);
            List<DeadLetter> letters = awaitDeadLetters(l -> l.getService().equals(service)
                    && l.getOriginalOffset() == sent.get(1).offset()
                    && l.getOriginalPartition() == sent.get(1).partition(), 1);
            assertDeadLetter(letters.get(0), camera, sent.get(1), NOT_AVRO);
            assertEquals(KafkaStreams.State.RUNNING, streams.state(), "the service keeps running");
        }
    }

    private static void assertDeadLetter(DeadLetter letter, String camera, RecordMetadata original, byte[] value) {
        assertEquals(Topics.FRAMES.name(), letter.getOriginalTopic());
        assertEquals(original.partition(), letter.getOriginalPartition());
        assertEquals(original.offset(), letter.getOriginalOffset());
        assertArrayEquals(value, bytes(letter.getValue()), "the original bytes, untouched");
        assertArrayEquals(camera.getBytes(StandardCharsets.UTF_8), bytes(letter.getKey()));
        assertFalse(letter.getReason().isBlank(), "a reason");
        assertFalse(letter.getErrorClass().isBlank(), "an error class");
        assertTrue(letter.getHeaders().containsKey("origin"), "headers kept");
    }

    private static byte[] encode(Frame frame) {
        return Topics.FRAMES.valueSerde(config).serializer().serialize(Topics.FRAMES.name(), frame);
    }

    /** Sends the values in order, all with the camera as key (so to one partition), each with a header. */
    private static List<RecordMetadata> produce(String camera, byte[]... values) throws Exception {
        List<RecordMetadata> sent = new ArrayList<>();
        try (var producer = new KafkaProducer<>(clients.producer("dlq-test-source", null), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (byte[] value : values) {
                var record = new ProducerRecord<>(Topics.FRAMES.name(), camera.getBytes(StandardCharsets.UTF_8), value);
                record.headers().add("origin", "dlq-test".getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record).get());
            }
        }
        return sent;
    }

    private static List<DeadLetter> awaitDeadLetters(Predicate<DeadLetter> mine, int expected) {
        List<DeadLetter> letters = new ArrayList<>(TopicReader.readUntil(clients.consumer("dlq-reader", "dlq-reader"),
                        Topics.DEAD_LETTERS.name(), new StringDeserializer(), Topics.DEAD_LETTERS.valueSerde(config).deserializer(),
                        r -> mine.test(r.value()), read -> read.size() >= expected, Duration.ofSeconds(60))
                .stream().map(r -> r.value()).toList());
        assertEquals(expected, letters.size(), "dead letters found: " + letters);
        letters.sort((a, b) -> Long.compare(a.getOriginalOffset(), b.getOriginalOffset()));
        return letters;
    }

    private static List<String> awaitValues(String topic, int expected) {
        return TopicReader.readUntil(clients.consumer("out", "out"), topic, new StringDeserializer(), new StringDeserializer(),
                r -> true, read -> read.size() >= expected, Duration.ofSeconds(60)).stream().map(r -> r.value()).toList();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static java.util.Properties toProperties(Map<String, Object> map) {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(map);
        return properties;
    }
}
