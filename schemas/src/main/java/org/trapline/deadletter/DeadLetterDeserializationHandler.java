package org.trapline.deadletter;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.trapline.config.KafkaClientSettings;
import org.trapline.schema.DeadLetter;

/**
 * Kafka Streams' side of {@link DeadLetterRouter}: a record whose bytes cannot be deserialised is
 * handed back to Streams as a dead letter, which Streams writes in the same exactly-once transaction as
 * the task's output, and processing resumes with the next record.
 *
 * <p>Configured by {@link KafkaClientSettings#streams}: it reads the service name and the registry
 * settings from the Streams configuration.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private DeadLetterRouter router;

    @Override
    public void configure(Map<String, ?> configs) {
        Object service = configs.get(KafkaClientSettings.SERVICE_NAME);
        AvroKafkaSerializer<DeadLetter> serializer = new AvroKafkaSerializer<>();
        serializer.configure(configs, false);
        router = new DeadLetterRouter(service == null ? "unknown-service" : service.toString(), serializer,
                Clock.systemUTC());
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        return Response.resume(List.of(router.deadLetter(record, exception)));
    }
}
