package org.trapline.topics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.registry.ConfluentCompatibleRegistry;
import org.trapline.registry.RegistrySettings;

/**
 * Makes the cluster ready for Trapline, idempotently: creates the topics that are missing, brings the
 * settings of existing ones in line with {@link Topics}, registers each value schema under its subject
 * and sets that subject to BACKWARD compatibility, so that no producer can publish a schema old readers
 * cannot follow. Safe to run at every start of every service.
 */
public final class TopicSetup {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    public static final String COMPATIBILITY = "BACKWARD";

    /** What a run changed, for logs and tests. */
    public record Report(List<String> created, List<String> reconfigured, Map<String, Integer> schemaIds) {
    }

    private final TraplineConfig config;

    public TopicSetup(TraplineConfig config) {
        this.config = config;
    }

    public Report run() {
        return run(Topics.ALL);
    }

    public Report run(Collection<Topic<String, ?>> topics) {
        List<String> created = new ArrayList<>();
        List<String> reconfigured = new ArrayList<>();
        try (Admin admin = Admin.create(new KafkaClientSettings(config).admin())) {
            ensureTopics(admin, topics, created, reconfigured);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not set up topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        }
        Map<String, Integer> schemaIds = ensureSubjects(topics);
        log.info("topics ready: created {}, reconfigured {}, schemas {}", created, reconfigured, schemaIds);
        return new Report(created, reconfigured, schemaIds);
    }

    private void ensureTopics(Admin admin, Collection<Topic<String, ?>> topics, List<String> created,
                              List<String> reconfigured) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        short replication = (short) config.getInt(TraplineConfig.REPLICATION_FACTOR, 1);
        Optional<Integer> partitionsOverride = config.find(TraplineConfig.PARTITIONS).map(Integer::parseInt);
        for (Topic<String, ?> topic : topics) {
            if (existing.contains(topic.name())) {
                if (alignConfigs(admin, topic)) {
                    reconfigured.add(topic.name());
                }
                continue;
            }
            NewTopic newTopic = new NewTopic(topic.name(), partitionsOverride.orElse(topic.partitions()), replication)
                    .configs(withMinInsyncReplicas(topic.configs(), replication));
            try {
                admin.createTopics(List.of(newTopic)).all().get();
                created.add(topic.name());
            } catch (ExecutionException e) {
                // another service started at the same moment and created it first: that is fine
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** With three or more replicas an acknowledged write must sit on two of them before it counts. */
    private static Map<String, String> withMinInsyncReplicas(Map<String, String> configs, short replication) {
        if (replication < 3 || configs.containsKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)) {
            return configs;
        }
        Map<String, String> withIsr = new java.util.HashMap<>(configs);
        withIsr.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        return withIsr;
    }

    private static boolean alignConfigs(Admin admin, Topic<String, ?> topic)
            throws ExecutionException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        var current = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        List<AlterConfigOp> changes = new ArrayList<>();
        topic.configs().forEach((key, value) -> {
            ConfigEntry entry = current.get(key);
            if (entry == null || !value.equals(entry.value())) {
                changes.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
            }
        });
        if (changes.isEmpty()) {
            return false;
        }
        admin.incrementalAlterConfigs(Map.of(resource, changes)).all().get();
        return true;
    }

    private Map<String, Integer> ensureSubjects(Collection<Topic<String, ?>> topics) {
        ConfluentCompatibleRegistry registry =
                new ConfluentCompatibleRegistry(new RegistrySettings(config).confluentCompatibleApiUrl());
        Map<String, Integer> ids = new java.util.TreeMap<>();
        for (Topic<String, ?> topic : topics) {
            // registering the same schema again returns the id it already has
            ids.put(topic.valueSubject(), registry.register(topic.valueSubject(), topic.valueSchema().toString()));
            registry.setCompatibility(topic.valueSubject(), COMPATIBILITY);
        }
        return ids;
    }

    /** Command-line use: {@code TopicSetup [config-file]}, overridden by TRAPLINE_* variables. */
    public static void main(String[] args) {
        TraplineConfig config = TraplineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        Report report = new TopicSetup(config).run();
        System.out.printf("created %s, reconfigured %s, schema ids %s%n",
                report.created(), report.reconfigured(), report.schemaIds());
    }
}
