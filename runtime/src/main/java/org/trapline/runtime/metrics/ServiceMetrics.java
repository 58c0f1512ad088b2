package org.trapline.runtime.metrics;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A service's metrics, as {@code /metrics} serves them to Prometheus: the service's own meters, the JVM's
 * (memory, garbage collection, threads, processor) and those of its Kafka clients, bound here once for every
 * service.
 */
public final class ServiceMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    /** Binders that hold on to something (a GC listener, a client's metrics) until closed. */
    private final List<AutoCloseable> bound = new ArrayList<>();

    /** A registry of the service's own, with the JVM's metrics. */
    public ServiceMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** The JVM's metrics added to a registry the service made (ingest's, shared with its import). */
    public ServiceMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        bound.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public ServiceMetrics bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        bound.add(metrics);
        return this;
    }

    public ServiceMetrics bind(Producer<?, ?> producer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        bound.add(metrics);
        return this;
    }

    public ServiceMetrics bind(KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        bound.add(metrics);
        return this;
    }

    /** The Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        for (AutoCloseable binder : bound) {
            try {
                binder.close();
            } catch (Exception e) {
                // a binder that cannot let go holds only meters of a registry closed next
            }
        }
        registry.close();
    }
}
