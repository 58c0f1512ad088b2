package org.trapline.topics;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.trapline.config.TraplineConfig;
import org.trapline.registry.RegistrySettings;
import org.trapline.registry.WireFormatDeserializer;

/**
 * A topic as Trapline uses it: its name, how keys and values are serialised, its default partition
 * count and its topic-level settings (retention, compaction).
 *
 * @param name       the topic name
 * @param keySerde   keys are plain strings (camera, site or individual ids); stateless, safe to share
 * @param valueType  the generated Avro class of the values
 * @param partitions default partition count; each one is a unit of parallelism for its consumers
 * @param configs    topic-level settings applied on creation
 */
public record Topic<K, V extends SpecificRecord>(
        String name, Serde<K> keySerde, Class<V> valueType, int partitions, Map<String, String> configs) {

    public Topic {
        configs = Map.copyOf(configs);
    }

    /** The subject under which the value schema is registered (Confluent's topic-name strategy). */
    public String valueSubject() {
        return name + "-value";
    }

    public Schema valueSchema() {
        return SpecificData.get().getSchema(valueType);
    }

    /**
     * A value serde bound to the schema registry the configuration names; what it cannot read fails with
     * a reason fit for a dead letter.
     */
    public Serde<V> valueSerde(TraplineConfig config) {
        Map<String, Object> props = new RegistrySettings(config).serdeProperties();
        AvroKafkaSerializer<V> serializer = new AvroKafkaSerializer<>();
        serializer.configure(props, false);
        var deserializer = new WireFormatDeserializer<V>(new AvroKafkaDeserializer<>(), valueType);
        deserializer.configure(props, false);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
