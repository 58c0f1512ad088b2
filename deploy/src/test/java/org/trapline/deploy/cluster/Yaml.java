package org.trapline.deploy.cluster;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * YAML as kubectl and Compose read it: several documents per file, anchors and merge keys ({@code <<: *x},
 * which Compose files use), no duplicate keys, no custom tags. Each document becomes a Jackson tree;
 * documents that hold nothing (a file's leading comment block) are left out.
 */
final class Yaml {

    private static final ObjectMapper TREES = new ObjectMapper();

    private Yaml() {
    }

    static List<JsonNode> documents(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new SafeConstructor(options));
        List<JsonNode> documents = new ArrayList<>();
        try {
            for (Object document : yaml.loadAll(text)) {
                if (document != null) {
                    documents.add(TREES.valueToTree(document));
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }
}
