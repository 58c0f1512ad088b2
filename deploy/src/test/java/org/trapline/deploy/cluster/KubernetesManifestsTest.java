package org.trapline.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.trapline.deploy.cluster.StrictModel.Resource;
import org.trapline.topics.Topics;

/**
 * deploy/k8s as {@code kubectl apply -k deploy/k8s} takes it: every resource strict against the Kubernetes
 * (fabric8) and Strimzi API models, and the cross-checks of {@link KubernetesChecks} against the code.
 * {@link BrokenManifestsTest} shows each check failing on a broken copy.
 */
class KubernetesManifestsTest {

    @Test
    void theManifestsPassEveryCheck() {
        List<String> problems = KubernetesChecks.check(DeployFiles.load());
        assertEquals(List.of(), problems, "problems in deploy/k8s:\n  " + String.join("\n  ", problems));
    }

    @Test
    void everyResourceIsReadIntoItsApiModel() {
        List<String> problems = new ArrayList<>();
        List<Resource> resources = KubernetesChecks.resources(DeployFiles.load(), problems);
        assertEquals(List.of(), problems);
        Map<String, Integer> kinds = new TreeMap<>();
        resources.forEach(r -> kinds.merge(r.kind() + " " + r.object().getClass().getName(), 1, Integer::sum));
        System.out.println("deploy/k8s: " + resources.size() + " resources");
        kinds.forEach((kind, n) -> System.out.println("  " + n + " x " + kind));
        // what the strict reading covered: all of them typed, nothing left generic
        assertEquals(Topics.ALL.size() + 2, count(resources, "KafkaTopic"), "a KafkaTopic per topic, and the registry's two");
        assertEquals(1, count(resources, "Kafka"));
        assertEquals(2, count(resources, "KafkaNodePool"));
        assertEquals(4, count(resources, "Deployment"), "ingest, detector, identifier, registry");
        assertEquals(1, count(resources, "StatefulSet"), "the aggregator");
        assertTrue(resources.stream().allMatch(r -> StrictModel.KINDS.containsValue(r.object().getClass())));
    }

    private static long count(List<Resource> resources, String kind) {
        return resources.stream().filter(r -> r.kind().equals(kind)).count();
    }
}
