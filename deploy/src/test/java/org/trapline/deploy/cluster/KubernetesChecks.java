package org.trapline.deploy.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaClusterSpec;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.trapline.config.TraplineConfig;
import org.trapline.deploy.cluster.StrictModel.Resource;
import org.trapline.topics.Topic;
import org.trapline.topics.Topics;

/**
 * Checks deploy/k8s as {@code kubectl apply -k} would take it, and against the code: every resource strict
 * against its API model; the kustomization complete; the Strimzi cluster (KRaft, separate controllers,
 * min.insync.replicas 2) and a KafkaTopic for every topic of {@link Topics} with its partitions and settings;
 * each service's configuration (the ConfigMap's file plus its variables) read as the service reads it, and
 * its ports, probes, volumes and replicas checked against it. What it finds is a list of problems, empty when
 * all is well.
 */
final class KubernetesChecks {

    static final String DIR = "k8s";
    static final String STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";
    static final String REGISTRY_IMAGE = "apicurio/apicurio-registry";
    /** The registry's kafkasql journal must be kept whole: the registry refuses other settings (KafkaSqlConfiguration). */
    static final Map<String, String> REGISTRY_TOPIC_CONFIG = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1");

    private final DeployFiles files;
    private final Project project = Project.get();
    private final List<String> problems = new ArrayList<>();
    private final List<Resource> resources = new ArrayList<>();
    /** ConfigMaps by name: generated ones (configMapGenerator) and declared ones; key to content. */
    private final Map<String, Map<String, String>> configMaps = new TreeMap<>();
    /** Secrets by name (secretGenerator env files, declared Secrets): variable to value. */
    private final Map<String, Map<String, String>> secrets = new TreeMap<>();
    private final Set<String> kustomizeImages = new TreeSet<>();
    private String namespace;

    /** One of the four services as deployed: where, its container, its configuration and its port. */
    record Deployed(Project.Service service, Resource workload, PodSpec pod, Container container, TraplineConfig config, int port) {
    }

    private final Map<Project.Service, List<Deployed>> deployed = new LinkedHashMap<>();

    private KubernetesChecks(DeployFiles files) {
        this.files = files;
    }

    static List<String> check(DeployFiles files) {
        KubernetesChecks checks = new KubernetesChecks(files);
        checks.run();
        return checks.problems;
    }

    /** The resources kustomization.yaml names, read strictly; problems go to {@code problems}. */
    static List<Resource> resources(DeployFiles files, List<String> problems) {
        KubernetesChecks checks = new KubernetesChecks(files);
        checks.kustomization();
        problems.addAll(checks.problems);
        return checks.resources;
    }

    private void run() {
        kustomization();
        if (resources.isEmpty()) {
            problem("kustomization.yaml: no resources read");
            return;
        }
        references();
        TraplineConfig shared = services();
        strimzi(shared);
        registry(shared);
    }

    private void problem(String message) {
        problems.add(message);
    }

    // --- kustomization.yaml: what kubectl apply -k deploy/k8s applies

    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "configMapGenerator", "secretGenerator", "images", "generatorOptions", "patches", "commonAnnotations", "components");

    private void kustomization() {
        String path = DIR + "/kustomization.yaml";
        Optional<String> text = files.find(path);
        if (text.isEmpty()) {
            problem(path + " is missing: kubectl apply -k " + "deploy/" + DIR + " needs it");
            return;
        }
        List<JsonNode> docs = Yaml.documents(path, text.get());
        if (docs.size() != 1) {
            problem(path + ": one document expected, found " + docs.size());
            return;
        }
        JsonNode k = docs.get(0);
        if (!"kustomize.config.k8s.io/v1beta1".equals(k.path("apiVersion").asText()) || !"Kustomization".equals(k.path("kind").asText())) {
            problem(path + ": not a kustomize.config.k8s.io/v1beta1 Kustomization");
        }
        k.fieldNames().forEachRemaining(field -> {
            if (!KUSTOMIZATION_FIELDS.contains(field)) {
                problem(path + ": unknown field " + field);
            }
        });
        namespace = k.path("namespace").asText(null);
        Set<String> listed = new TreeSet<>();
        for (JsonNode resource : k.path("resources")) {
            String file = DeployFiles.normalize(DIR + "/" + resource.asText());
            listed.add(file);
            Optional<String> yaml = files.find(file);
            if (yaml.isEmpty()) {
                problem(path + ": resource " + resource.asText() + " does not exist");
                continue;
            }
            for (JsonNode document : Yaml.documents(file, yaml.get())) {
                Resource read = StrictModel.read(file, document, problems);
                if (read != null) {
                    resources.add(read);
                }
            }
        }
        for (String file : files.all().keySet()) {
            if (file.startsWith(DIR + "/") && (file.endsWith(".yaml") || file.endsWith(".yml"))
                    && !file.equals(path) && !listed.contains(file)) {
                problem(file + " is not among the resources of " + path + ": kubectl apply -k would leave it out");
            }
        }
        for (JsonNode generator : k.path("configMapGenerator")) {
            Map<String, String> data = new TreeMap<>();
            for (JsonNode entry : generator.path("files")) {
                String[] keyAndFile = entry.asText().contains("=") ? entry.asText().split("=", 2)
                        : new String[] {entry.asText().replaceAll(".*/", ""), entry.asText()};
                String file = DeployFiles.normalize(DIR + "/" + keyAndFile[1]);
                files.find(file).ifPresentOrElse(content -> data.put(keyAndFile[0], content),
                        () -> problem(path + ": configMapGenerator " + generator.path("name").asText() + " names " + file + ", which does not exist"));
            }
            generator.path("literals").forEach(l -> data.put(l.asText().split("=", 2)[0], l.asText().split("=", 2)[1]));
            configMaps.put(generator.path("name").asText(), data);
        }
        for (JsonNode generator : k.path("secretGenerator")) {
            Map<String, String> data = new TreeMap<>();
            for (JsonNode env : generator.path("envs")) {
                String file = DeployFiles.normalize(DIR + "/" + env.asText());
                files.find(file).ifPresentOrElse(content -> data.putAll(envFile(file, content)),
                        () -> problem(path + ": secretGenerator " + generator.path("name").asText() + " names " + file + ", which does not exist"));
            }
            generator.path("literals").forEach(l -> data.put(l.asText().split("=", 2)[0], l.asText().split("=", 2)[1]));
            secrets.put(generator.path("name").asText(), data);
        }
        for (JsonNode image : k.path("images")) {
            kustomizeImages.add(image.path("name").asText());
            if (image.path("name").asText().equals(project.imageRepository()) && image.has("newTag")
                    && !image.path("newTag").asText().equals(project.version())) {
                problem(path + ": the image " + project.imageRepository() + " is tagged " + image.path("newTag").asText()
                        + ", the project's version is " + project.version());
            }
        }
        for (Resource r : resources) {
            if (r.object() instanceof ConfigMap cm) {
                configMaps.put(r.name(), cm.getData() == null ? Map.of() : cm.getData());
            }
            if (r.object() instanceof io.fabric8.kubernetes.api.model.Secret s) {
                secrets.put(r.name(), s.getStringData() == null ? Map.of() : s.getStringData());
            }
            if (r.object() instanceof Namespace ns && namespace != null && !ns.getMetadata().getName().equals(namespace)) {
                problem(r + ": kustomization.yaml puts everything in namespace " + namespace);
            }
        }
    }

    /** An env file (KEY=VALUE lines, # comments) as kustomize reads it; its keys must be settings the code reads. */
    private Map<String, String> envFile(String file, String content) {
        Map<String, String> values = new TreeMap<>();
        content.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(line -> {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problem(file + ": '" + line + "' is not KEY=VALUE");
                return;
            }
            values.put(line.substring(0, eq), line.substring(eq + 1));
        });
        return values;
    }

    private <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().map(Resource::object).filter(type::isInstance).map(type::cast).toList();
    }

    private Resource resourceOf(HasMetadata object) {
        return resources.stream().filter(r -> r.object() == object).findFirst().orElseThrow();
    }

    // --- references between resources: selectors, volumes, autoscalers

    /** A workload (Deployment or StatefulSet): its pod template and replicas. */
    private record Workload(Resource resource, PodTemplateSpec template, Map<String, String> selector, Integer replicas,
                            List<PersistentVolumeClaim> claimTemplates) {
    }

    private List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        for (Deployment d : all(Deployment.class)) {
            workloads.add(new Workload(resourceOf(d), d.getSpec().getTemplate(),
                    d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels(), d.getSpec().getReplicas(), List.of()));
        }
        for (StatefulSet s : all(StatefulSet.class)) {
            workloads.add(new Workload(resourceOf(s), s.getSpec().getTemplate(),
                    s.getSpec().getSelector() == null ? null : s.getSpec().getSelector().getMatchLabels(), s.getSpec().getReplicas(),
                    s.getSpec().getVolumeClaimTemplates() == null ? List.of() : s.getSpec().getVolumeClaimTemplates()));
        }
        return workloads;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Map<String, String> labels(PodTemplateSpec template) {
        return template.getMetadata() == null ? Map.of() : Objects.requireNonNullElse(template.getMetadata().getLabels(), Map.of());
    }

    private void references() {
        Set<String> claims = new TreeSet<>();
        all(PersistentVolumeClaim.class).forEach(c -> claims.add(c.getMetadata().getName()));
        for (Workload w : workloads()) {
            if (!selects(w.selector(), labels(w.template()))) {
                problem(w.resource() + ": its selector " + w.selector() + " does not match its pods' labels " + labels(w.template()));
            }
            PodSpec pod = w.template().getSpec();
            Set<String> volumes = new TreeSet<>();
            w.claimTemplates().forEach(t -> volumes.add(t.getMetadata().getName()));
            for (Volume v : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
                volumes.add(v.getName());
                if (v.getConfigMap() != null && !configMaps.containsKey(v.getConfigMap().getName())) {
                    problem(w.resource() + ": volume " + v.getName() + " names ConfigMap " + v.getConfigMap().getName() + ", which nothing makes");
                }
                if (v.getPersistentVolumeClaim() != null && !claims.contains(v.getPersistentVolumeClaim().getClaimName())) {
                    problem(w.resource() + ": volume " + v.getName() + " names PersistentVolumeClaim "
                            + v.getPersistentVolumeClaim().getClaimName() + ", which is not defined");
                }
            }
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.addAll(Objects.requireNonNullElse(pod.getInitContainers(), List.of()));
            for (Container c : containers) {
                for (VolumeMount m : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
                    if (!volumes.contains(m.getName())) {
                        problem(w.resource() + ": container " + c.getName() + " mounts volume " + m.getName() + ", which the pod does not have");
                    }
                }
                for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
                    if (from.getSecretRef() != null && !secrets.containsKey(from.getSecretRef().getName())) {
                        problem(w.resource() + ": container " + c.getName() + " takes variables from Secret " + from.getSecretRef().getName() + ", which nothing makes");
                    }
                    if (from.getConfigMapRef() != null && !configMaps.containsKey(from.getConfigMapRef().getName())) {
                        problem(w.resource() + ": container " + c.getName() + " takes variables from ConfigMap " + from.getConfigMapRef().getName() + ", which nothing makes");
                    }
                }
            }
        }
        for (Service s : all(Service.class)) {
            List<Workload> selected = workloads().stream().filter(w -> selects(s.getSpec().getSelector(), labels(w.template()))).toList();
            if (selected.isEmpty()) {
                problem(resourceOf(s) + ": its selector " + s.getSpec().getSelector() + " matches no pods");
            }
            for (ServicePort port : Objects.requireNonNullElse(s.getSpec().getPorts(), List.<ServicePort>of())) {
                for (Workload w : selected) {
                    IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                    if (w.template().getSpec().getContainers().stream().noneMatch(c -> containerPort(c, target).isPresent())) {
                        problem(resourceOf(s) + ": port " + port.getPort() + " targets " + show(target) + ", which no container of "
                                + w.resource().name() + " declares");
                    }
                }
            }
        }
        for (PodDisruptionBudget pdb : all(PodDisruptionBudget.class)) {
            Map<String, String> selector = pdb.getSpec().getSelector() == null ? null : pdb.getSpec().getSelector().getMatchLabels();
            if (workloads().stream().noneMatch(w -> selects(selector, labels(w.template())))) {
                problem(resourceOf(pdb) + ": its selector matches no pods");
            }
        }
        for (HorizontalPodAutoscaler hpa : all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            Optional<Workload> scaled = workloads().stream()
                    .filter(w -> w.resource().kind().equals(target.getKind()) && w.resource().name().equals(target.getName())).findFirst();
            if (scaled.isEmpty()) {
                problem(resourceOf(hpa) + ": scales " + target.getKind() + "/" + target.getName() + ", which is not defined");
            } else if (scaled.get().replicas() != null) {
                problem(scaled.get().resource() + ": sets replicas although " + resourceOf(hpa)
                        + " scales it (every apply would reset the autoscaler's count)");
            }
            if (hpa.getSpec().getMinReplicas() != null && hpa.getSpec().getMinReplicas() > hpa.getSpec().getMaxReplicas()) {
                problem(resourceOf(hpa) + ": minReplicas above maxReplicas");
            }
        }
    }

    private static String show(IntOrString port) {
        return port.getIntVal() != null ? String.valueOf(port.getIntVal()) : "'" + port.getStrVal() + "'";
    }

    /** The container port a probe's or Service's port (number or name) comes to in this container. */
    private static Optional<Integer> containerPort(Container c, IntOrString port) {
        for (ContainerPort p : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
            if ((port.getIntVal() != null && port.getIntVal().equals(p.getContainerPort()))
                    || (port.getStrVal() != null && port.getStrVal().equals(p.getName()))) {
                return Optional.of(p.getContainerPort());
            }
        }
        return Optional.empty();
    }

    // --- the four services

    /** Checks every container that runs the trapline image; returns the configuration they share (the ConfigMap's file). */
    private TraplineConfig services() {
        TraplineConfig shared = null;
        for (Workload w : workloads()) {
            PodSpec pod = w.template().getSpec();
            for (Container c : Objects.requireNonNullElse(pod.getInitContainers(), List.<Container>of())) {
                traplineImage(w, c);
            }
            for (Container c : pod.getContainers()) {
                if (!traplineImage(w, c)) {
                    continue;
                }
                Optional<Deployed> d = service(w, pod, c);
                if (d.isPresent()) {
                    deployed.computeIfAbsent(d.get().service(), s -> new ArrayList<>()).add(d.get());
                    if (shared == null) {
                        shared = TraplineConfig.of(fileConfig(w, c).orElse(Map.of()));
                    }
                }
            }
        }
        for (Project.Service service : Project.Service.values()) {
            List<Deployed> found = deployed.getOrDefault(service, List.of());
            if (found.size() != 1) {
                problem(DIR + ": the " + service.prefix + " service (trapline " + service.command + ") should run in exactly one workload, found "
                        + found.stream().map(d -> d.workload().toString()).toList());
            }
        }
        deployed.getOrDefault(Project.Service.IDENTIFIER, List.of()).forEach(this::identifier);
        deployed.getOrDefault(Project.Service.DETECTOR, List.of()).forEach(d -> scaledUpTo(d, Topics.FRAMES));
        deployed.getOrDefault(Project.Service.AGGREGATOR, List.of()).forEach(d -> {
            aggregator(d);
            scaledUpTo(d, Topics.SIGHTINGS);
        });
        deployed.getOrDefault(Project.Service.INGEST, List.of()).forEach(d -> {
            if (!(d.workload().object() instanceof Deployment)) {
                problem(d.workload() + ": ingest is stateless, a Deployment");
            }
        });
        sharedVolumes();
        return shared == null ? TraplineConfig.of(Map.of()) : shared;
    }

    /** Whether the container runs the services' image; its reference must be one kustomize's images: retags. */
    private boolean traplineImage(Workload w, Container c) {
        String repository = c.getImage() == null ? "" : c.getImage().replaceFirst(":[^/:]*$", "");
        if (!repository.equals(project.imageRepository())) {
            return false;
        }
        if (!kustomizeImages.contains(repository)) {
            problem(w.resource() + ": container " + c.getName() + " runs " + c.getImage() + ", which kustomization.yaml's images do not set");
        }
        return true;
    }

    private Optional<Deployed> service(Workload w, PodSpec pod, Container c) {
        String where = w.resource() + " container " + c.getName();
        List<String> args = new ArrayList<>(Objects.requireNonNullElse(c.getCommand(), List.of()));
        args.addAll(Objects.requireNonNullElse(c.getArgs(), List.of()));
        Project.Service service = args.isEmpty() ? null : Project.Service.byCommand(args.get(0));
        if (service == null) {
            problem(where + ": runs trapline " + args + ", which starts none of the services "
                    + Arrays.stream(Project.Service.values()).map(s -> s.command).toList());
            return Optional.empty();
        }
        if (c.getCommand() != null && !c.getCommand().isEmpty()) {
            problem(where + ": sets command, which replaces the image's java entrypoint; the service goes in args");
        }
        if (!Project.serviceCommands().contains(service.command) && !Project.ANNOUNCED_COMMANDS.contains(service.command)) {
            problem(where + ": trapline has no subcommand '" + service.command + "' with --config");
        }
        Optional<Map<String, String>> file = fileConfig(w, c);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> environment = environment(w, c);
        TraplineConfig config = Project.effective(file.get(), environment);
        file.get().keySet().forEach(key -> knownKey(where + ": configuration file key", key));
        environment.keySet().stream().filter(v -> v.startsWith(TraplineConfig.ENV_PREFIX) && !v.equals(TraplineConfig.CONFIG_FILE_ENV))
                .forEach(v -> knownKey(where + ": variable " + v + " sets", Project.effective(Map.of(), Map.of(v, "x")).asMap().keySet().iterator().next()));

        if (!"0.0.0.0".equals(config.get(service.hostKey(), "127.0.0.1"))) {
            problem(where + ": " + service.hostKey() + " is " + config.get(service.hostKey(), "127.0.0.1 (the default)")
                    + ": the service would listen on the pod's loopback only, out of reach of probes and Services");
        }
        config.asMap().forEach((key, value) -> {
            if (key.endsWith(".key.sha256") && !value.matches("[0-9a-fA-F]{64}")) {
                problem(where + ": " + key + " is not a hex SHA-256 (trapline api-key prints one): the service would not start");
            }
        });
        int port = service.port(config);
        if (Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of()).stream().noneMatch(p -> p.getContainerPort() == port)) {
            problem(where + ": " + service.portKey() + " is " + port + " but the container declares ports "
                    + Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of()).stream().map(ContainerPort::getContainerPort).toList());
        }
        probe(where, "readinessProbe", c.getReadinessProbe(), "/ready", port, c, true);
        probe(where, "livenessProbe", c.getLivenessProbe(), "/health", port, c, true);
        probe(where, "startupProbe", c.getStartupProbe(), "/health", port, c, false);
        resources(where, c);
        Deployed d = new Deployed(service, w.resource(), pod, c, config, port);
        paths(w, d);
        return Optional.of(d);
    }

    private void knownKey(String where, String key) {
        if (!project.knowsKey(key)) {
            problem(where + " '" + key + "', which no code of the project reads");
        }
    }

    /** The properties file the container's --config names, found through its mount and ConfigMap. */
    private Optional<Map<String, String>> fileConfig(Workload w, Container c) {
        String where = w.resource() + " container " + c.getName();
        List<String> args = Objects.requireNonNullElse(c.getArgs(), List.of());
        int at = args.indexOf("--config");
        if (at < 0 || at + 1 >= args.size()) {
            problem(where + ": no --config FILE argument (the default, .trapline/local/trapline.properties, is the local stack's)");
            return Optional.empty();
        }
        String path = args.get(at + 1);
        Optional<VolumeMount> mount = mountOf(c, path);
        if (mount.isEmpty()) {
            problem(where + ": --config " + path + " lies in no volume the container mounts");
            return Optional.empty();
        }
        Volume volume = volume(w, mount.get().getName());
        if (volume == null || volume.getConfigMap() == null) {
            problem(where + ": --config " + path + " is not on a ConfigMap volume");
            return Optional.empty();
        }
        String key = path.substring(mount.get().getMountPath().length()).replaceFirst("^/", "");
        if (mount.get().getSubPath() != null) {
            key = mount.get().getSubPath();
        }
        if (volume.getConfigMap().getItems() != null && !volume.getConfigMap().getItems().isEmpty()) {
            String file = key;
            key = volume.getConfigMap().getItems().stream().filter(i -> i.getPath().equals(file)).map(i -> i.getKey()).findFirst().orElse("?");
        }
        String text = configMaps.getOrDefault(volume.getConfigMap().getName(), Map.of()).get(key);
        if (text == null) {
            problem(where + ": --config " + path + " is key '" + key + "' of ConfigMap " + volume.getConfigMap().getName() + ", which has no such key");
            return Optional.empty();
        }
        return Optional.of(Project.properties(text));
    }

    private static Volume volume(Workload w, String name) {
        return Objects.requireNonNullElse(w.template().getSpec().getVolumes(), List.<Volume>of()).stream()
                .filter(v -> v.getName().equals(name)).findFirst().orElse(null);
    }

    /** The container's variables: its own (a fieldRef as a placeholder) and those of the Secrets and ConfigMaps it takes. */
    private Map<String, String> environment(Workload w, Container c) {
        Map<String, String> environment = new TreeMap<>();
        for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
            if (from.getSecretRef() != null) {
                environment.putAll(secrets.getOrDefault(from.getSecretRef().getName(), Map.of()));
            }
            if (from.getConfigMapRef() != null) {
                environment.putAll(configMaps.getOrDefault(from.getConfigMapRef().getName(), Map.of()));
            }
        }
        for (EnvVar v : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            if (v.getValue() != null) {
                environment.put(v.getName(), v.getValue());
            } else if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null) {
                environment.put(v.getName(), "$(fieldRef:" + v.getValueFrom().getFieldRef().getFieldPath() + ")");
            } else {
                environment.put(v.getName(), "$(ref)");
            }
        }
        return environment;
    }

    private void probe(String where, String kind, Probe probe, String path, int port, Container c, boolean required) {
        if (probe == null) {
            if (required) {
                problem(where + ": no " + kind + " (GET " + path + " on port " + port + ")");
            }
            return;
        }
        if (probe.getHttpGet() == null) {
            problem(where + ": the " + kind + " is no HTTP GET of " + path);
            return;
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            problem(where + ": the " + kind + " asks " + probe.getHttpGet().getPath() + ", the service answers it on " + path);
        }
        IntOrString asked = probe.getHttpGet().getPort();
        Optional<Integer> target = asked.getIntVal() != null ? Optional.of(asked.getIntVal()) : containerPort(c, asked);
        if (target.isEmpty() || target.get() != port) {
            problem(where + ": the " + kind + " asks port " + show(asked)
                    + (asked.getIntVal() != null ? "" : target.map(t -> " (" + t + ")").orElse(" (no such container port)"))
                    + " but the service listens on " + port);
        }
    }

    private void resources(String where, Container c) {
        var r = c.getResources();
        Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
        Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
        if (!requests.containsKey("cpu") || !requests.containsKey("memory") || !limits.containsKey("memory")) {
            problem(where + ": resources need cpu and memory requests and a memory limit (the JVM sizes its heap from the limit)");
        }
    }

    private static Optional<VolumeMount> mountOf(Container c, String path) {
        return Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of()).stream()
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/"))
                .max((a, b) -> Integer.compare(a.getMountPath().length(), b.getMountPath().length()));
    }

    /** The paths the configuration names lie on the volumes they need. */
    private void paths(Workload w, Deployed d) {
        String where = w.resource() + " container " + d.container().getName();
        TraplineConfig config = d.config();
        Function<String, Optional<VolumeMount>> mount = path -> mountOf(d.container(), path);
        boolean readOnlyRoot = d.container().getSecurityContext() != null
                && Boolean.TRUE.equals(d.container().getSecurityContext().getReadOnlyRootFilesystem());
        Optional<VolumeMount> tmp = mount.apply("/tmp/javacpp");
        if (readOnlyRoot && (tmp.isEmpty() || Boolean.TRUE.equals(tmp.get().getReadOnly()))) {
            problem(where + ": the root file system is read-only and /tmp, where the native libraries unpack, is on no writable volume");
        }
        String dataDir = config.dataDir().toString();
        Optional<VolumeMount> data = mount.apply(dataDir);
        if (data.isEmpty() || Boolean.TRUE.equals(data.get().getReadOnly())) {
            problem(where + ": data.dir " + dataDir + " is on no writable volume (the root file system is read-only)");
        }
        if (d.service() == Project.Service.AGGREGATOR && data.isPresent()
                && w.claimTemplates().stream().noneMatch(t -> t.getMetadata().getName().equals(data.get().getName()))) {
            problem(where + ": data.dir " + dataDir + " (the state stores) is on volume " + data.get().getName()
                    + ", not on a volumeClaimTemplate: every restart would replay the changelogs");
        }
        if (d.service() == Project.Service.DETECTOR || d.service() == Project.Service.IDENTIFIER) {
            List<String> models = new ArrayList<>(List.of(config.get("models.dir", "../shared/models")));
            if (d.service() == Project.Service.DETECTOR) {
                config.find("detector.model.path").ifPresent(models::add);
                config.find("detector.model.labels").filter(l -> !l.equalsIgnoreCase("megadetector")).ifPresent(models::add);
                config.find("species.model.path").ifPresent(models::add);
                config.find("species.labels.path").ifPresent(models::add);
            } else {
                config.find("identifier.embedding.model.path").ifPresent(models::add);
            }
            for (String path : models) {
                if (mount.apply(path).isEmpty()) {
                    problem(where + ": the models at " + path + " lie on no volume (models are never in the image)");
                }
            }
        }
        if (d.service() != Project.Service.AGGREGATOR && config.get("blob.store", "fs").equals("fs")) {
            String blobs = config.find("blob.fs.dir").orElse(config.dataDir().resolve("blobs").toString());
            Optional<VolumeMount> m = mount.apply(blobs);
            Volume v = m.map(x -> volume(w, x.getName())).orElse(null);
            if (v == null || v.getPersistentVolumeClaim() == null || Boolean.TRUE.equals(m.get().getReadOnly())) {
                problem(where + ": blob.fs.dir " + blobs + " is on no writable PersistentVolumeClaim (ingest, detector and identifier share the blobs)");
            }
        }
        if (d.service() == Project.Service.INGEST || d.service() == Project.Service.AGGREGATOR || d.service() == Project.Service.DETECTOR) {
            String catalog = catalogFile(d.service(), config);
            Optional<VolumeMount> m = mount.apply(catalog);
            if (m.isEmpty() || (d.service() == Project.Service.INGEST && Boolean.TRUE.equals(m.get().getReadOnly()))) {
                problem(where + ": the site catalog " + catalog + " is on no " + (d.service() == Project.Service.INGEST ? "writable " : "") + "volume");
            }
        }
    }

    /** ingest, the detector and the identifier read and write the same blobs: one claim, mountable on many nodes. */
    private void sharedVolumes() {
        Set<String> claims = new TreeSet<>();
        for (List<Deployed> list : deployed.values()) {
            for (Deployed d : list) {
                if (d.service() == Project.Service.AGGREGATOR || !d.config().get("blob.store", "fs").equals("fs")) {
                    continue;
                }
                String blobs = d.config().find("blob.fs.dir").orElse(d.config().dataDir().resolve("blobs").toString());
                mountOf(d.container(), blobs).map(m -> d.pod().getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst().orElse(null))
                        .filter(v -> v.getPersistentVolumeClaim() != null).ifPresent(v -> claims.add(v.getPersistentVolumeClaim().getClaimName()));
            }
        }
        if (claims.size() > 1) {
            problem(DIR + ": the services keep blobs on different claims " + claims + ": a frame ingest stored would be missing for the detector");
        }
        for (PersistentVolumeClaim claim : all(PersistentVolumeClaim.class)) {
            if (claims.contains(claim.getMetadata().getName()) && (claim.getSpec().getAccessModes() == null
                    || !claim.getSpec().getAccessModes().contains("ReadWriteMany"))) {
                problem(resourceOf(claim) + ": the blobs are shared by pods on several nodes: ReadWriteMany, not " + claim.getSpec().getAccessModes());
            }
        }
    }

    /** The identifier owns the gallery: one instance, and a new one only after the old one stopped. */
    private void identifier(Deployed d) {
        if (!(d.workload().object() instanceof Deployment deployment)) {
            problem(d.workload() + ": the identifier should be a Deployment of one replica");
            return;
        }
        if (deployment.getSpec().getReplicas() == null || deployment.getSpec().getReplicas() != 1) {
            problem(d.workload() + ": the identifier must run as ONE instance (it owns the gallery), replicas is " + deployment.getSpec().getReplicas());
        }
        if (deployment.getSpec().getStrategy() == null || !"Recreate".equals(deployment.getSpec().getStrategy().getType())) {
            problem(d.workload() + ": the identifier's strategy must be Recreate (a rolling update runs two for a while)");
        }
        for (HorizontalPodAutoscaler hpa : all(HorizontalPodAutoscaler.class)) {
            if (hpa.getSpec().getScaleTargetRef().getName().equals(d.workload().name())) {
                problem(resourceOf(hpa) + ": scales the identifier, which must stay one instance");
            }
        }
    }

    /** A consumer's instances beyond its input topic's partitions sit idle. */
    private void scaledUpTo(Deployed d, Topic<String, ?> input) {
        int most = d.workload().object() instanceof StatefulSet s ? Objects.requireNonNullElse(s.getSpec().getReplicas(), 1)
                : d.workload().object() instanceof Deployment dep ? Objects.requireNonNullElse(dep.getSpec().getReplicas(), 1) : 1;
        for (HorizontalPodAutoscaler hpa : all(HorizontalPodAutoscaler.class)) {
            if (hpa.getSpec().getScaleTargetRef().getName().equals(d.workload().name())) {
                most = Math.max(most, hpa.getSpec().getMaxReplicas());
            }
        }
        if (most > input.partitions()) {
            problem(d.workload() + ": up to " + most + " instances, but " + input.name() + " has " + input.partitions()
                    + " partitions: the rest would sit idle (deploy/SCALING.md)");
        }
        if (d.service() == Project.Service.DETECTOR && all(HorizontalPodAutoscaler.class).stream()
                .noneMatch(h -> h.getSpec().getScaleTargetRef().getName().equals(d.workload().name()))) {
            problem(d.workload() + ": no HorizontalPodAutoscaler scales the detector");
        }
    }

    /** The aggregator: stable names, its own volumes, and an address the other instances can reach. */
    private void aggregator(Deployed d) {
        if (!(d.workload().object() instanceof StatefulSet set)) {
            problem(d.workload() + ": the aggregator should be a StatefulSet (stable names, a volume per instance)");
            return;
        }
        String headless = set.getSpec().getServiceName();
        Optional<Service> service = all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(headless)).findFirst();
        if (service.isEmpty() || !"None".equals(service.get().getSpec().getClusterIP())
                || !selects(service.get().getSpec().getSelector(), labels(set.getSpec().getTemplate()))) {
            problem(d.workload() + ": serviceName " + headless + " should be a headless Service (clusterIP: None) selecting its pods");
        }
        String host = d.config().get("aggregator.advertised.host", "");
        List<EnvVar> env = Objects.requireNonNullElse(d.container().getEnv(), List.of());
        boolean fromPodName = env.stream().anyMatch(v -> v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null
                && "metadata.name".equals(v.getValueFrom().getFieldRef().getFieldPath()) && host.contains("$(" + v.getName() + ")"));
        if (!fromPodName || headless == null || !host.contains("." + headless)) {
            problem(d.workload() + ": aggregator.advertised.host is '" + host + "': it should be the pod's name under the headless Service "
                    + headless + " ($(POD_NAME)." + headless + "...)");
        }
        int standbys = Integer.parseInt(d.config().get("kafka.num.standby.replicas", "0"));
        int replicas = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
        if (standbys >= replicas) {
            problem(d.workload() + ": " + standbys + " standby replicas need more than " + replicas + " instances");
        }
    }

    // --- Kafka, by the Strimzi operator

    private void strimzi(TraplineConfig shared) {
        List<Kafka> clusters = all(Kafka.class);
        if (clusters.size() != 1) {
            problem(DIR + ": one Kafka resource expected, found " + clusters.size());
            return;
        }
        Kafka kafka = clusters.get(0);
        String name = kafka.getMetadata().getName();
        KafkaClusterSpec spec = kafka.getSpec().getKafka();
        String where = resourceOf(kafka).toString();
        String clientVersion = project.pomProperty("kafka.version");
        if (!clientVersion.equals(spec.getVersion())) {
            problem(where + ": Kafka " + spec.getVersion() + ", but Trapline's clients and tests run " + clientVersion + " (kafka.version)");
        }
        Map<String, Object> config = Objects.requireNonNullElse(spec.getConfig(), Map.of());
        List<String> forbidden = Arrays.stream(KafkaClusterSpec.FORBIDDEN_PREFIXES.split(",")).map(String::strip).toList();
        List<String> exceptions = Arrays.stream(KafkaClusterSpec.FORBIDDEN_PREFIX_EXCEPTIONS.split(",")).map(String::strip).toList();
        config.keySet().stream().filter(k -> forbidden.stream().anyMatch(k::startsWith) && !exceptions.contains(k))
                .forEach(k -> problem(where + ": spec.kafka.config." + k + " is one Strimzi manages itself (and ignores)"));
        expect(where, config, "min.insync.replicas", "2");
        expect(where, config, "transaction.state.log.min.isr", "2");
        expect(where, config, "default.replication.factor", "3");
        expect(where, config, "offsets.topic.replication.factor", "3");
        expect(where, config, "transaction.state.log.replication.factor", "3");
        if (spec.getMetricsConfig() instanceof io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics jmx
                && jmx.getValueFrom() != null && jmx.getValueFrom().getConfigMapKeyRef() != null) {
            var ref = jmx.getValueFrom().getConfigMapKeyRef();
            if (!configMaps.getOrDefault(ref.getName(), Map.of()).containsKey(ref.getKey())) {
                problem(where + ": metricsConfig reads key " + ref.getKey() + " of ConfigMap " + ref.getName() + ", which nothing makes");
            }
        }
        if (kafka.getSpec().getEntityOperator() == null || kafka.getSpec().getEntityOperator().getTopicOperator() == null) {
            problem(where + ": no topic operator (spec.entityOperator.topicOperator): the KafkaTopics would make no topics");
        }

        int controllers = 0;
        int brokers = 0;
        for (KafkaNodePool pool : all(KafkaNodePool.class)) {
            String label = pool.getMetadata().getLabels() == null ? null : pool.getMetadata().getLabels().get(STRIMZI_CLUSTER_LABEL);
            if (!name.equals(label)) {
                problem(resourceOf(pool) + ": label " + STRIMZI_CLUSTER_LABEL + " is " + label + ", not the cluster " + name);
                continue;
            }
            List<ProcessRoles> roles = Objects.requireNonNullElse(pool.getSpec().getRoles(), List.of());
            if (roles.contains(ProcessRoles.CONTROLLER) && roles.contains(ProcessRoles.BROKER)) {
                problem(resourceOf(pool) + ": nodes both controller and broker; controllers run in a pool of their own");
            }
            if (roles.contains(ProcessRoles.CONTROLLER)) {
                controllers += pool.getSpec().getReplicas();
            } else if (roles.contains(ProcessRoles.BROKER)) {
                brokers += pool.getSpec().getReplicas();
            }
        }
        if (controllers < 3 || controllers % 2 == 0) {
            problem(where + ": " + controllers + " controllers: the KRaft quorum needs an odd number, at least 3, to survive a loss");
        }
        if (brokers < 3) {
            problem(where + ": " + brokers + " brokers: three replicas with min.insync.replicas=2 need at least 3");
        }

        String bootstrap = shared.get(TraplineConfig.BOOTSTRAP_SERVERS, "");
        Optional<GenericKafkaListener> listener = Objects.requireNonNullElse(spec.getListeners(), List.<GenericKafkaListener>of()).stream()
                .filter(l -> l.getType() == KafkaListenerType.INTERNAL && bootstrap.equals(name + "-kafka-bootstrap:" + l.getPort()))
                .findFirst();
        if (listener.isEmpty()) {
            problem(DIR + ": kafka.bootstrap.servers is '" + bootstrap + "', which is no internal listener of " + name
                    + " (" + name + "-kafka-bootstrap:PORT)");
        } else if (listener.get().isTls() != shared.get("kafka.security.protocol", "PLAINTEXT").toUpperCase().endsWith("SSL")) {
            problem(DIR + ": kafka.bootstrap.servers is the listener " + listener.get().getName() + " (tls " + listener.get().isTls()
                    + ") but kafka.security.protocol is " + shared.get("kafka.security.protocol", "PLAINTEXT"));
        }
        topics(name, brokers, shared);
    }

    private void expect(String where, Map<String, Object> config, String key, String value) {
        if (!value.equals(String.valueOf(config.get(key)))) {
            problem(where + ": spec.kafka.config." + key + " is " + config.get(key) + ", should be " + value);
        }
    }

    private void topics(String cluster, int brokers, TraplineConfig shared) {
        Map<String, KafkaTopic> byTopic = new TreeMap<>();
        for (KafkaTopic t : all(KafkaTopic.class)) {
            String name = t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName();
            if (byTopic.put(name, t) != null) {
                problem(resourceOf(t) + ": a second KafkaTopic for " + name);
            }
            String label = t.getMetadata().getLabels() == null ? null : t.getMetadata().getLabels().get(STRIMZI_CLUSTER_LABEL);
            if (!cluster.equals(label)) {
                problem(resourceOf(t) + ": label " + STRIMZI_CLUSTER_LABEL + " is " + label + ", not the cluster " + cluster + ": no operator would make it");
            }
            int replicas = Objects.requireNonNullElse(t.getSpec().getReplicas(), 0);
            if (replicas < 3 || replicas > brokers) {
                problem(resourceOf(t) + ": " + replicas + " replicas, with " + brokers + " brokers: 3 replicas expected");
            }
            Object isr = t.getSpec().getConfig() == null ? null : t.getSpec().getConfig().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            if (replicas >= 3 && !"2".equals(String.valueOf(isr))) {
                problem(resourceOf(t) + ": min.insync.replicas is " + isr + ", should be 2 (acks=all then survives a broker down)");
            }
        }
        int replication = shared.getInt(TraplineConfig.REPLICATION_FACTOR, 1);
        for (Topic<String, ?> topic : Topics.ALL) {
            KafkaTopic t = byTopic.remove(topic.name());
            if (t == null) {
                problem(DIR + ": no KafkaTopic for the topic " + topic.name() + " of Topics.java");
                continue;
            }
            String where = resourceOf(t).toString();
            if (!Objects.equals(t.getSpec().getPartitions(), topic.partitions())) {
                problem(where + ": " + t.getSpec().getPartitions() + " partitions, Topics.java says " + topic.partitions());
            }
            if (!Objects.equals(t.getSpec().getReplicas(), replication)) {
                problem(where + ": " + t.getSpec().getReplicas() + " replicas, topics.replication.factor is " + replication
                        + " (TopicSetup makes missing topics with it)");
            }
            Map<String, Object> config = Objects.requireNonNullElse(t.getSpec().getConfig(), Map.of());
            topic.configs().forEach((key, value) -> {
                if (!value.equals(String.valueOf(config.get(key)))) {
                    problem(where + ": " + key + " is " + config.get(key) + ", Topics.java says " + value
                            + " (and TopicSetup would set it back at every start)");
                }
            });
            boolean compacted = String.valueOf(config.get(TopicConfig.CLEANUP_POLICY_CONFIG)).contains(TopicConfig.CLEANUP_POLICY_COMPACT);
            boolean shouldBe = topic.configs().getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "").contains(TopicConfig.CLEANUP_POLICY_COMPACT);
            if (compacted != shouldBe) {
                problem(where + ": " + (compacted ? "compacted, but Topics.java keeps it by time" : "not compacted, but Topics.java compacts it"));
            }
            config.keySet().stream().filter(k -> !topic.configs().containsKey(k) && !k.equals(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG))
                    .forEach(k -> problem(where + ": sets " + k + ", which Topics.java does not (keep the two the same)"));
        }
        String journal = registryJournal();
        KafkaTopic registryTopic = byTopic.get(journal);
        if (registryTopic == null) {
            problem(DIR + ": no KafkaTopic for the schema registry's journal " + journal);
        }
        for (Map.Entry<String, KafkaTopic> other : byTopic.entrySet()) {
            if (!other.getKey().startsWith("kafkasql-")) {
                problem(resourceOf(other.getValue()) + ": " + other.getKey() + " is no topic of Topics.java nor the registry's");
                continue;
            }
            Map<String, Object> config = Objects.requireNonNullElse(other.getValue().getSpec().getConfig(), Map.of());
            REGISTRY_TOPIC_CONFIG.forEach((key, value) -> {
                if (!value.equals(String.valueOf(config.get(key)))) {
                    problem(resourceOf(other.getValue()) + ": " + key + " is " + config.get(key) + ", the registry needs " + value
                            + " (it keeps every schema there and refuses to start otherwise)");
                }
            });
            if (!Objects.equals(other.getValue().getSpec().getPartitions(), 1)) {
                problem(resourceOf(other.getValue()) + ": the registry's journal is read in order: one partition");
            }
        }
    }

    // --- the schema registry

    private Optional<Container> registryContainer(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getImage() != null && c.getImage().startsWith(REGISTRY_IMAGE + ":")).findFirst();
    }

    private String registryJournal() {
        for (Deployment d : all(Deployment.class)) {
            Optional<Container> c = registryContainer(d);
            if (c.isPresent()) {
                return env(c.get(), "APICURIO_KAFKASQL_TOPIC").orElse("kafkasql-journal");
            }
        }
        return "kafkasql-journal";
    }

    private static Optional<String> env(Container c, String name) {
        return Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of()).stream().filter(v -> v.getName().equals(name))
                .map(EnvVar::getValue).filter(Objects::nonNull).findFirst();
    }

    private void registry(TraplineConfig shared) {
        List<Deployment> registries = all(Deployment.class).stream().filter(d -> registryContainer(d).isPresent()).toList();
        if (registries.size() != 1) {
            problem(DIR + ": one Deployment of " + REGISTRY_IMAGE + " expected, found " + registries.size());
            return;
        }
        Deployment deployment = registries.get(0);
        Container c = registryContainer(deployment).orElseThrow();
        String where = resourceOf(deployment) + " container " + c.getName();
        String version = project.pomProperty("apicurio.registry.version");
        if (!c.getImage().equals(REGISTRY_IMAGE + ":" + version)) {
            problem(where + ": runs " + c.getImage() + ", Trapline's tests run the registry " + version + " (apicurio.registry.version)");
        }
        if (!env(c, "APICURIO_STORAGE_KIND").orElse("").equals("kafkasql") && !env(c, "APICURIO_STORAGE_KIND").orElse("").equals("sql")) {
            problem(where + ": APICURIO_STORAGE_KIND is " + env(c, "APICURIO_STORAGE_KIND").orElse("unset (in memory)")
                    + ": the schema ids in every record would be lost with the pod");
        }
        if (env(c, "APICURIO_STORAGE_KIND").orElse("").equals("kafkasql")
                && !env(c, "APICURIO_KAFKASQL_BOOTSTRAP_SERVERS").orElse("").equals(shared.get(TraplineConfig.BOOTSTRAP_SERVERS, ""))) {
            problem(where + ": APICURIO_KAFKASQL_BOOTSTRAP_SERVERS is " + env(c, "APICURIO_KAFKASQL_BOOTSTRAP_SERVERS").orElse("unset")
                    + ", the services' cluster is " + shared.get(TraplineConfig.BOOTSTRAP_SERVERS, ""));
        }
        if (c.getReadinessProbe() == null || c.getLivenessProbe() == null) {
            problem(where + ": readiness and liveness probes expected (its management port, /health/ready and /health/live)");
        }
        String url = shared.get(TraplineConfig.REGISTRY_URL, "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("https?://([^:/]+)(?::(\\d+))?/?").matcher(url);
        if (!m.matches()) {
            problem(DIR + ": registry.url '" + url + "' is no http://SERVICE:PORT");
            return;
        }
        String host = m.group(1);
        int port = m.group(2) == null ? 80 : Integer.parseInt(m.group(2));
        Optional<Service> service = all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(host)).findFirst();
        boolean reaches = service.isPresent()
                && selects(service.get().getSpec().getSelector(), labels(deployment.getSpec().getTemplate()))
                && service.get().getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port
                && containerPort(c, p.getTargetPort() != null ? p.getTargetPort() : new IntOrString(port)).orElse(-1) == 8080);
        if (!reaches) {
            problem(DIR + ": registry.url " + url + " reaches no Service port that leads to the registry's HTTP port 8080");
        }
    }

    /** The catalog file a service reads: the detector's own setting, else ingest's, else under data.dir. */
    static String catalogFile(Project.Service service, TraplineConfig config) {
        Optional<String> own = service == Project.Service.DETECTOR ? config.find("detector.catalog.file") : Optional.empty();
        return own.or(() -> config.find("ingest.catalog.file")).orElse(config.dataDir().resolve("ingest/catalog.json").toString());
    }
}
