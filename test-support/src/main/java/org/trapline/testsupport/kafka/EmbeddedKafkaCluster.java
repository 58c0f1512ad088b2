package org.trapline.testsupport.kafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real KRaft cluster inside the test JVM, from Kafka's own test kit: one combined broker+controller
 * node for most tests, or several brokers with separate controllers for fault tests (three combined
 * nodes in one JVM do not work in Kafka 4.3.1). Its logs and data live under {@code baseDirectory}.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** One combined broker+controller node; internal topics with one replica. */
    public static EmbeddedKafkaCluster singleNode(Path baseDirectory) throws Exception {
        Map<String, Object> props = commonProps();
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        return start(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1),
                baseDirectory, props);
    }

    /**
     * {@code brokers} brokers and {@code controllers} separate controllers; internal topics replicated
     * three times with two in sync, as on a production cluster.
     */
    public static EmbeddedKafkaCluster withSeparateControllers(int brokers, int controllers, Path baseDirectory)
            throws Exception {
        Map<String, Object> props = commonProps();
        props.put("offsets.topic.replication.factor", String.valueOf(Math.min(3, brokers)));
        props.put("transaction.state.log.replication.factor", String.valueOf(Math.min(3, brokers)));
        props.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, brokers)));
        return start(new TestKitNodes.Builder().setCombined(false).setNumBrokerNodes(brokers)
                .setNumControllerNodes(controllers), baseDirectory, props);
    }

    private static Map<String, Object> commonProps() {
        Map<String, Object> props = new HashMap<>();
        // topics are created by Trapline's topic setup; a typo in a topic name must fail, not create one
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    private static EmbeddedKafkaCluster start(TestKitNodes.Builder nodes, Path baseDirectory,
                                              Map<String, Object> props) throws Exception {
        nodes.setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION).setBaseDirectory(baseDirectory);
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build());
        props.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new EmbeddedKafkaCluster(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        return cluster.admin();
    }

    /** Stops one broker (the others and the controllers go on), as a fault test's lost machine. */
    public void stopBroker(int nodeId) {
        var broker = cluster.brokers().get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + nodeId + "; brokers are " + cluster.brokers().keySet());
        }
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** The underlying test kit, for fault tests that need more than stopping a broker. */
    public KafkaClusterTestKit testKit() {
        return cluster;
    }

    /** Closes once; the test kit's own close is not idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("the test cluster did not shut down cleanly", e);
            }
        }
    }
}
