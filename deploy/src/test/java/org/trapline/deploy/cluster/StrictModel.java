package org.trapline.deploy.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.crdgenerator.annotations.Minimum;
import io.strimzi.crdgenerator.annotations.MinimumItems;
import io.strimzi.crdgenerator.annotations.Pattern;
import io.strimzi.crdgenerator.annotations.RequiredInVersions;

/**
 * Kubernetes resources read strictly into the API models: the fabric8 model for the built-in kinds, Strimzi's
 * own API model ({@code io.strimzi:api}) for its custom resources. Both models keep a field they do not know
 * in an {@code additionalProperties} map instead of failing, so after reading, the whole object graph is
 * walked and any such field is an error, with its path; scalars are not coerced either (a string where the
 * API wants a number, a number where it wants a string, as the API server would refuse them). Only the
 * kinds and API versions listed here are accepted: an unknown kind or a wrong apiVersion is an error too.
 */
final class StrictModel {

    /** apiVersion + "/" + kind, and the class it is read into. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class));

    private static final ObjectMapper MAPPER = strictMapper();

    private StrictModel() {
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .build();
        // "replicas: '3'" or "value: 1" are refused by the API server: refuse them here
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** A resource read from a file: where it came from and what it is. */
    record Resource(String file, HasMetadata object) {
        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata() == null ? null : object.getMetadata().getName();
        }

        @Override
        public String toString() {
            return file + " " + kind() + "/" + name();
        }
    }

    /**
     * Reads one document; what is wrong with it goes to {@code problems} and the result is null unless it
     * read cleanly.
     */
    static Resource read(String file, JsonNode document, List<String> problems) {
        String apiVersion = document.path("apiVersion").asText("");
        String kind = document.path("kind").asText("");
        String where = file + " " + (kind.isEmpty() ? "(no kind)" : kind) + "/" + document.path("metadata").path("name").asText("?");
        Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
        if (type == null) {
            problems.add(where + ": apiVersion '" + apiVersion + "' kind '" + kind + "' is none of the kinds known here "
                    + KINDS.keySet().stream().sorted().toList());
            return null;
        }
        HasMetadata object;
        try {
            object = MAPPER.treeToValue(document, type);
        } catch (Exception e) {
            problems.add(where + ": does not read as " + type.getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
        List<String> unknown = unknownFields(object);
        unknown.forEach(field -> problems.add(where + ": " + field));
        if (object.getMetadata() == null || object.getMetadata().getName() == null || object.getMetadata().getName().isBlank()) {
            problems.add(where + ": no metadata.name");
        }
        return unknown.isEmpty() ? new Resource(file, object) : null;
    }

    /**
     * What the model refuses in the graph: fields it does not know (with their path, e.g.
     * spec.template.spec.containers[0].imagePullSecret), and for Strimzi's resources what its schema requires.
     */
    static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "[" + key + "]", found, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!(pkg.startsWith("io.fabric8.") || pkg.startsWith("io.strimzi.")) || value.getClass().isEnum()) {
            return;
        }
        for (Method getter : GETTERS.computeIfAbsent(value.getClass(), StrictModel::getters)) {
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                continue;
            }
            String property = join(path, propertyName(getter.getName()));
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> found.add(join(path, String.valueOf(key)) + " (not in the API model)"));
                }
                continue;
            }
            if (pkg.startsWith("io.strimzi.")) {
                strimziSchema(getter, child, property, found);
            }
            if (!getter.getReturnType().isPrimitive() && getter.getReturnType() != String.class) {
                walk(child, property, found, seen);
            }
        }
    }

    /**
     * What Strimzi's CRD schema says of a property, from the annotations its CRDs are generated from:
     * required in v1, minimum, minimum items, pattern.
     */
    private static void strimziSchema(Method getter, Object child, String property, List<String> found) {
        RequiredInVersions required = getter.getAnnotation(RequiredInVersions.class);
        JsonProperty json = getter.getAnnotation(JsonProperty.class);
        if (child == null && ((required != null && inV1(required.value())) || (json != null && json.required()))) {
            found.add(property + " is required by the " + API_VERSION + " schema and missing");
        }
        for (Minimum minimum : getter.getAnnotationsByType(Minimum.class)) {
            if (inV1(minimum.apiVersions()) && child instanceof Number n && n.doubleValue() < minimum.value()) {
                found.add(property + " is " + n + ", the schema's minimum is " + minimum.value());
            }
        }
        for (MinimumItems minimum : getter.getAnnotationsByType(MinimumItems.class)) {
            if (inV1(minimum.apiVersions()) && child instanceof Collection<?> c && c.size() < minimum.value()) {
                found.add(property + " has " + c.size() + " items, the schema's minimum is " + minimum.value());
            }
        }
        for (Pattern pattern : getter.getAnnotationsByType(Pattern.class)) {
            if (inV1(pattern.apiVersions()) && child instanceof String s && !java.util.regex.Pattern.compile(pattern.value()).matcher(s).find()) {
                found.add(property + " '" + s + "' does not match the schema's pattern " + pattern.value());
            }
        }
    }

    static final String API_VERSION = "v1";

    /** Whether an annotation's API versions ("", "v1+", "v1beta2+", "v1beta2", "v1beta2-v1") include v1. */
    static boolean inV1(String versions) {
        if (versions == null || versions.isBlank() || versions.equals("all")) {
            return true;
        }
        for (String range : versions.split(",")) {
            String r = range.trim();
            if (r.equals(API_VERSION) || (r.endsWith("+") && r.startsWith("v1")) || r.endsWith("-" + API_VERSION)) {
                return true;
            }
        }
        return false;
    }

    private static final Map<Class<?>, List<Method>> GETTERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<Method> getters(Class<?> type) {
        return java.util.Arrays.stream(type.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isBridge() && !m.isSynthetic() && m.getParameterCount() == 0
                        && m.getDeclaringClass() != Object.class && (m.getName().startsWith("get") || m.getName().startsWith("is")))
                .toList();
    }

    private static String propertyName(String getter) {
        String bare = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
        return bare.isEmpty() ? bare : Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
    }

    private static String join(String path, String property) {
        return path.isEmpty() ? property : path + "." + property;
    }
}
