package org.trapline.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The strict reading itself, on small documents written to be wrong. */
class StrictModelTest {

    private static List<String> problems(String yaml) {
        List<String> problems = new ArrayList<>();
        Yaml.documents("test.yaml", yaml).forEach(doc -> StrictModel.read("test.yaml", doc, problems));
        return problems;
    }

    private static void assertProblem(String yaml, String expected) {
        List<String> problems = problems(yaml);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    @Test
    void aCleanDeploymentReads() {
        assertEquals(List.of(), problems("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: d
                spec:
                  selector:
                    matchLabels: {app: d}
                  template:
                    metadata:
                      labels: {app: d}
                    spec:
                      containers:
                        - name: c
                          image: x
                          ports:
                            - containerPort: 8080
                """));
    }

    @Test
    void unknownFieldsAreFoundAtAnyDepth() {
        assertProblem("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: d
                spec:
                  replica: 2
                """, "spec.replica (not in the API model)");
        assertProblem("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                spec:
                  ports:
                    - port: 80
                      targetPortt: 8080
                """, "spec.ports[0].targetPortt (not in the API model)");
    }

    @Test
    void strimziResourcesMeetTheirV1Schema() {
        assertProblem("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: t
                """, "spec is required by the v1 schema and missing");
        assertProblem("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: t
                spec:
                  partitions: 3
                  replicas: 3
                  retention: 7d
                """, "spec.retention (not in the API model)");
        assertProblem("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaNodePool
                metadata:
                  name: p
                spec:
                  replicas: 3
                  roles: [broker]
                  storage:
                    type: ephemeral
                    sizeLimit: 1Gi
                    size: 2Gi
                """, "size (not in the API model)");
    }

    @Test
    void kindsAndVersionsMustBeKnown() {
        assertProblem("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: t
                """, "is none of the kinds known");
        assertProblem("""
                apiVersion: networking.k8s.io/v1
                kind: Ingres
                metadata:
                  name: i
                """, "is none of the kinds known");
    }

    @Test
    void scalarsAreNotCoerced() {
        assertProblem("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                spec:
                  ports:
                    - port: "80"
                """, "does not read as Service");
        assertProblem("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                data:
                  replicas: 3
                """, "does not read as ConfigMap");
    }

    @Test
    void yamlThatKubectlRefusesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Yaml.documents("dup.yaml", """
                apiVersion: v1
                kind: ConfigMap
                kind: Secret
                """));
        assertThrows(IllegalArgumentException.class, () -> Yaml.documents("tab.yaml", "a:\n\tb: 1\n"));
    }

    @Test
    void composeMergeKeysAreResolved() {
        var doc = Yaml.documents("c.yaml", """
                x-base: &base
                  image: i
                  restart: always
                services:
                  a:
                    <<: *base
                    restart: "no"
                """).get(0);
        assertEquals("i", doc.path("services").path("a").path("image").asText());
        assertEquals("no", doc.path("services").path("a").path("restart").asText());
    }

    @Test
    void readsWhatItCanAndNothingItCannot() {
        List<String> problems = new ArrayList<>();
        var doc = Yaml.documents("t.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n").get(0);
        assertNotNull(StrictModel.read("t.yaml", doc, problems));
        var bad = Yaml.documents("t.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  label: {}\n").get(0);
        assertNull(StrictModel.read("t.yaml", bad, problems));
        assertFalse(problems.isEmpty());
    }

    @Test
    void apiVersionRangesOfTheStrimziAnnotations() {
        assertTrue(StrictModel.inV1(""));
        assertTrue(StrictModel.inV1("v1+"));
        assertTrue(StrictModel.inV1("v1beta2+"));
        assertTrue(StrictModel.inV1("v1beta2-v1"));
        assertFalse(StrictModel.inV1("v1beta2"));
        assertFalse(StrictModel.inV1("v1alpha1-v1beta2"));
    }
}
