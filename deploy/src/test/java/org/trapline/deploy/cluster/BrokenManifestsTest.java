package org.trapline.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each check of {@link KubernetesChecks} and {@link ComposeChecks} fails when it should: the real files with
 * one deliberate mistake each, and the problem that mistake must produce. (A check that passes the real
 * files and every broken copy would be worthless.)
 */
class BrokenManifestsTest {

    private static final DeployFiles REAL = DeployFiles.load();

    static Stream<Arguments> kubernetes() {
        return Stream.of(
                // strict reading into the API models
                arguments("an unknown field in a container", "k8s/ingest.yaml", "          args:\n            - ingest",
                        "          imagePullSecret: regcred\n          args:\n            - ingest", "imagePullSecret (not in the API model)"),
                arguments("a misspelt field of a KafkaTopic", "k8s/kafka/topics.yaml", "  replicas: 3", "  replica: 3",
                        "replica (not in the API model)"),
                arguments("a number where the API wants a string", "k8s/aggregator.yaml", "value: \"1\"", "value: 1",
                        "does not read as StatefulSet"),
                arguments("a string where the API wants a number", "k8s/identifier.yaml", "replicas: 1", "replicas: \"1\"",
                        "does not read as Deployment"),
                arguments("an API version that does not exist", "k8s/detector.yaml", "autoscaling/v2", "autoscaling/v2beta3",
                        "none of the kinds known"),
                arguments("a Strimzi field below its schema's minimum", "k8s/kafka/kafka.yaml", "port: 9092", "port: 80",
                        "the schema's minimum"),
                // kustomization
                arguments("a manifest left out of the kustomization", "k8s/kustomization.yaml", "  - aggregator.yaml\n", "",
                        "aggregator.yaml is not among the resources"),
                arguments("a resource that does not exist", "k8s/kustomization.yaml", "  - ingest.yaml", "  - ingest-service.yaml",
                        "resource ingest-service.yaml does not exist"),
                arguments("the image tagged with another version", "k8s/kustomization.yaml", "newTag: 0.1.0-SNAPSHOT", "newTag: 0.0.9",
                        "is tagged 0.0.9"),
                // topics against Topics.java
                arguments("frames with 5 partitions", "k8s/kafka/topics.yaml", "partitions: 6", "partitions: 5",
                        "5 partitions, Topics.java says 6"),
                arguments("the gallery not compacted", "k8s/kafka/topics.yaml", "cleanup.policy: \"compact\"\n    min.compaction.lag.ms",
                        "cleanup.policy: \"delete\"\n    min.compaction.lag.ms", "not compacted, but Topics.java compacts it"),
                arguments("a retention other than Topics.java's", "k8s/kafka/topics.yaml", "retention.ms: \"604800000\"",
                        "retention.ms: \"86400000\"", "retention.ms is 86400000, Topics.java says 604800000"),
                arguments("a topic without its KafkaTopic", "k8s/kafka/topics.yaml", "name: dead-letters", "name: dead-letter",
                        "no KafkaTopic for the topic dead-letters"),
                arguments("a topic with min.insync.replicas 1", "k8s/kafka/topics.yaml", "min.insync.replicas: \"2\"",
                        "min.insync.replicas: \"1\"", "min.insync.replicas is 1"),
                arguments("a topic of another cluster", "k8s/kafka/topics.yaml", "strimzi.io/cluster: trapline", "strimzi.io/cluster: other",
                        "not the cluster trapline"),
                arguments("the registry's journal compacted", "k8s/kafka/topics.yaml", "cleanup.policy: \"delete\"",
                        "cleanup.policy: \"compact\"", "the registry needs delete"),
                // the Kafka cluster
                arguments("min.insync.replicas 1 on the brokers", "k8s/kafka/kafka.yaml", "      min.insync.replicas: 2",
                        "      min.insync.replicas: 1", "spec.kafka.config.min.insync.replicas is 1"),
                arguments("a Kafka version the clients are not tested with", "k8s/kafka/kafka.yaml", "version: 4.3.1", "version: 4.1.0",
                        "Kafka 4.1.0"),
                arguments("two controllers", "k8s/kafka/kafka.yaml", "  replicas: 3\n  roles:\n    - controller",
                        "  replicas: 2\n  roles:\n    - controller", "2 controllers"),
                arguments("controllers beside brokers", "k8s/kafka/kafka.yaml", "    - broker", "    - broker\n    - controller",
                        "both controller and broker"),
                arguments("a broker setting Strimzi manages", "k8s/kafka/kafka.yaml", "      auto.create.topics.enable: false",
                        "      auto.create.topics.enable: false\n      advertised.listeners: PLAINTEXT://x:9092", "Strimzi manages itself"),
                arguments("metrics from a ConfigMap key nothing makes", "k8s/kafka/kafka.yaml", "key: kafka-metrics-config.yml",
                        "key: metrics.yml", "metricsConfig reads key metrics.yml of ConfigMap kafka-metrics"),
                arguments("the services on the TLS listener without TLS", "k8s/config/trapline.properties",
                        "kafka.bootstrap.servers=trapline-kafka-bootstrap:9092", "kafka.bootstrap.servers=trapline-kafka-bootstrap:9093",
                        "kafka.security.protocol is PLAINTEXT"),
                // the services against their configuration
                arguments("a probe on another port", "k8s/detector.yaml", "path: /ready\n              port: http",
                        "path: /ready\n              port: 8084", "readinessProbe asks port 8084 but the service listens on 8083"),
                arguments("a liveness probe on the wrong path", "k8s/ingest.yaml", "          livenessProbe:\n            httpGet:\n              path: /health",
                        "          livenessProbe:\n            httpGet:\n              path: /healthz", "livenessProbe asks /healthz"),
                arguments("a port the container does not declare", "k8s/config/trapline.properties", "detector.http.port=8083",
                        "detector.http.port=8093", "detector.http.port is 8093 but the container declares ports [8083]"),
                arguments("a service on the pod's loopback", "k8s/config/trapline.properties", "ingest.http.host=0.0.0.0\n", "",
                        "ingest.http.host is 127.0.0.1 (the default)"),
                arguments("a configuration key no code reads", "k8s/config/trapline.properties", "detector.inference.threads=1",
                        "detector.inference.thread=1", "'detector.inference.thread', which no code of the project reads"),
                arguments("a variable no code reads", "k8s/detector.yaml", "            - name: JDK_JAVA_OPTIONS",
                        "            - name: TRAPLINE_DETECTOR_BATCHSIZE\n              value: \"4\"\n            - name: JDK_JAVA_OPTIONS",
                        "'detector.batchsize', which no code of the project reads"),
                arguments("an API key under a key no code reads", "k8s/config/secrets.env", "# TRAPLINE_INGEST_OPERATOR_ADMIN_KEY_SHA256=",
                        "TRAPLINE_INGEST_OPERATOR_ADMIN_KEY_SHA=" + "a".repeat(64) + "\n#", "'ingest.operator.admin.key.sha'"),
                arguments("an API key that is no SHA-256", "k8s/config/secrets.env", "# TRAPLINE_INGEST_OPERATOR_ADMIN_KEY_SHA256=",
                        "TRAPLINE_INGEST_OPERATOR_ADMIN_KEY_SHA256=secret\n#", "is not a hex SHA-256"),
                arguments("a Service to a port no container has", "k8s/ingest.yaml", "      targetPort: http", "      targetPort: web",
                        "targets 'web'"),
                arguments("a ConfigMap nothing makes", "k8s/identifier.yaml", "name: trapline-config", "name: trapline-conf",
                        "names ConfigMap trapline-conf"),
                arguments("a subcommand trapline does not have", "k8s/detector.yaml", "- detect\n", "- detector\n",
                        "starts none of the services"),
                arguments("no --config", "k8s/ingest.yaml", "            - --config\n            - /etc/trapline/trapline.properties\n", "",
                        "no --config FILE argument"),
                arguments("the models not mounted", "k8s/identifier.yaml", "mountPath: /models", "mountPath: /model",
                        "the models at /models lie on no volume"),
                arguments("blobs on a volume one node can mount", "k8s/storage.yaml", "  name: blobs\nspec:\n  accessModes:\n    - ReadWriteMany",
                        "  name: blobs\nspec:\n  accessModes:\n    - ReadWriteOnce", "ReadWriteMany, not [ReadWriteOnce]"),
                arguments("no writable /tmp under a read-only root", "k8s/detector.yaml",
                        "            - name: tmp\n              mountPath: /tmp\n", "", "where the native libraries unpack"),
                arguments("no memory limit", "k8s/ingest.yaml", "            limits:\n              memory: 2Gi\n", "",
                        "resources need cpu and memory requests and a memory limit"),
                // replicas and scaling
                arguments("two identifiers", "k8s/identifier.yaml", "replicas: 1", "replicas: 2", "must run as ONE instance"),
                arguments("the identifier rolled", "k8s/identifier.yaml", "type: Recreate", "type: RollingUpdate", "must be Recreate"),
                arguments("more detectors than frames partitions", "k8s/detector.yaml", "maxReplicas: 6", "maxReplicas: 8",
                        "up to 8 instances, but frames has 6 partitions"),
                arguments("replicas fixed beside the autoscaler", "k8s/detector.yaml", "  strategy:\n    type: RollingUpdate",
                        "  replicas: 2\n  strategy:\n    type: RollingUpdate", "sets replicas although"),
                arguments("more aggregators than sightings partitions", "k8s/aggregator.yaml", "  replicas: 2", "  replicas: 7",
                        "up to 7 instances, but sightings has 6 partitions"),
                arguments("the aggregator advertising a name nobody resolves", "k8s/aggregator.yaml",
                        "value: $(POD_NAME).aggregator-headless.$(POD_NAMESPACE).svc", "value: localhost", "aggregator.advertised.host is 'localhost'"),
                arguments("the aggregator's state off its claim", "k8s/aggregator.yaml", "            - name: state\n              mountPath: /var/lib/trapline",
                        "            - name: tmp\n              mountPath: /var/lib/trapline", "not on a volumeClaimTemplate"),
                arguments("a headless Service that is not headless", "k8s/aggregator.yaml", "  clusterIP: None\n", "",
                        "should be a headless Service"),
                // the registry
                arguments("the registry in memory", "k8s/registry.yaml", "value: kafkasql", "value: mem", "APICURIO_STORAGE_KIND is mem"),
                arguments("another registry version", "k8s/registry.yaml", "apicurio/apicurio-registry:3.3.3", "apicurio/apicurio-registry:3.0.0",
                        "Trapline's tests run the registry 3.3.3"),
                arguments("registry.url to a wrong port", "k8s/config/trapline.properties", "registry.url=http://registry:8080",
                        "registry.url=http://registry:8081", "reaches no Service port"));
    }

    static Stream<Arguments> compose() {
        return Stream.of(
                arguments("a broker the clients are not tested with", "compose/compose.yaml", "apache/kafka:4.3.1", "apache/kafka:3.9.0",
                        "kafka runs apache/kafka:3.9.0"),
                arguments("transactions without a coordinator on one node", "compose/compose.yaml",
                        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 3",
                        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR must be 1"),
                arguments("the registry in memory", "compose/compose.yaml", "      APICURIO_STORAGE_KIND: kafkasql\n", "",
                        "registry storage is in memory"),
                arguments("a healthcheck on another port", "compose/compose.yaml", "/dev/tcp/127.0.0.1/8082", "/dev/tcp/127.0.0.1/8083",
                        "should ask /health on port 8082"),
                arguments("a subcommand trapline does not have", "compose/compose.yaml", "[\"detect\",", "[\"detector\",",
                        "starts none of the services"),
                arguments("the aggregator's state in the container", "compose/compose.yaml", "      - aggregator-state:/var/lib/trapline\n    healthcheck",
                        "    healthcheck", "(the state stores) should be a named volume"),
                arguments("the identifier without models", "compose/compose.yaml",
                        "      - ${TRAPLINE_MODELS_DIR:-../../../shared/models}:/models:ro\n      - blobs:/blobs\n    healthcheck:\n      test: [\"CMD\", \"bash\", \"-c\", \"exec 3<>/dev/tcp/127.0.0.1/8084",
                        "      - blobs:/blobs\n    healthcheck:\n      test: [\"CMD\", \"bash\", \"-c\", \"exec 3<>/dev/tcp/127.0.0.1/8084",
                        "the models at /models lie on no volume"),
                arguments("a service on the container's loopback", "compose/trapline.properties", "identifier.http.host=0.0.0.0",
                        "identifier.http.host=127.0.0.1", "identifier.http.host is 127.0.0.1"),
                arguments("a misspelt field", "compose/compose.yaml", "    environment:\n      JDK_JAVA_OPTIONS: -XX:MaxRAMPercentage=50",
                        "    enviroment:\n      JDK_JAVA_OPTIONS: -XX:MaxRAMPercentage=50", "unknown field enviroment"),
                arguments("not waiting for the broker", "compose/compose.yaml", "    kafka:\n      condition: service_healthy\n    registry:",
                        "    kafka:\n      condition: service_started\n    registry:", "should wait for kafka to be healthy"),
                arguments("blobs on two volumes", "compose/compose.yaml", "      - ${TRAPLINE_MODELS_DIR:-../../../shared/models}:/models:ro\n      - blobs:/blobs",
                        "      - ${TRAPLINE_MODELS_DIR:-../../../shared/models}:/models:ro\n      - blobs2:/blobs", "different volumes"),
                arguments("the aggregator advertising a name nobody resolves", "compose/compose.yaml",
                        "TRAPLINE_AGGREGATOR_ADVERTISED_HOST: aggregator", "TRAPLINE_AGGREGATOR_ADVERTISED_HOST: localhost",
                        "aggregator.advertised.host is 'localhost'"),
                arguments("a key no code reads", "compose/trapline.properties", "blob.fs.dir=/blobs", "blob.fs.dir=/blobs\nblob.fs.directory=/blobs",
                        "'blob.fs.directory', which no code of the project reads"),
                arguments("native libraries on a noexec tmpfs", "compose/compose.yaml", "    - /tmp:exec,size=2g", "    - /tmp",
                        "needs exec and a size"),
                arguments("more broker replicas than brokers", "compose/trapline.properties", "topics.replication.factor=1",
                        "topics.replication.factor=3", "TopicSetup would fail"));
    }

    @ParameterizedTest(name = "k8s: {0}")
    @MethodSource("kubernetes")
    void kubernetesChecksFail(String mistake, String file, String from, String to, String expected) {
        breaks(KUBERNETES, mistake, file, from, to, expected);
    }

    @ParameterizedTest(name = "compose: {0}")
    @MethodSource("compose")
    void composeChecksFail(String mistake, String file, String from, String to, String expected) {
        breaks(COMPOSE, mistake, file, from, to, expected);
    }

    private static final java.util.Map<Function<DeployFiles, List<String>>, List<String>> BEFORE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Function<DeployFiles, List<String>> KUBERNETES = KubernetesChecks::check;
    private static final Function<DeployFiles, List<String>> COMPOSE = ComposeChecks::check;

    private static void breaks(Function<DeployFiles, List<String>> checks, String mistake, String file, String from, String to, String expected) {
        List<String> before = BEFORE.computeIfAbsent(checks, c -> c.apply(REAL));
        assertTrue(before.stream().noneMatch(p -> p.contains(expected)), "the real files already have: " + expected);
        List<String> after;
        try {
            after = checks.apply(REAL.replace(file, from, to));
        } catch (IllegalArgumentException e) {
            after = List.of(e.getMessage());
        }
        assertTrue(after.stream().anyMatch(p -> p.contains(expected)),
                mistake + ": expected a problem containing '" + expected + "', got:\n  " + String.join("\n  ", after));
        System.out.println(mistake + " -> " + after.stream().filter(p -> p.contains(expected)).findFirst().orElseThrow());
    }
}
