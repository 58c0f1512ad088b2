package org.trapline.registry;

import java.util.HashMap;
import java.util.Map;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import org.trapline.config.TraplineConfig;

/**
 * How Trapline talks to the schema registry. The configuration names one base URL
 * ({@code registry.url}); the serdes use Apicurio's v3 API under it and compatibility is managed
 * through the Confluent-compatible API, so any consumer that speaks Confluent's wire format and API can
 * read Trapline's topics.
 */
public final class RegistrySettings {

    static final String APICURIO_API = "/apis/registry/v3";
    static final String CONFLUENT_COMPATIBLE_API = "/apis/ccompat/v7";

    private final TraplineConfig config;

    public RegistrySettings(TraplineConfig config) {
        this.config = config;
    }

    public String apicurioApiUrl() {
        return config.registryUrl() + APICURIO_API;
    }

    public String confluentCompatibleApiUrl() {
        return config.registryUrl() + CONFLUENT_COMPATIBLE_API;
    }

    /**
     * Serde settings: register value schemas, whole, under {@code <topic>-value} on first use, write the
     * Confluent wire format (magic byte, 4-byte schema id, Avro binary), read into the generated classes.
     * Any {@code apicurio.*} key in the configuration (auth, TLS) is passed through and wins.
     */
    public Map<String, Object> serdeProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(SchemaResolverConfig.REGISTRY_URL, apicurioApiUrl());
        props.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, true);
        // register each schema whole: by default Apicurio splits nested named types into artifacts of their
        // own and registers references, which plain Confluent-style readers cannot follow and on which its
        // compatibility rule fails
        props.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, true);
        props.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        config.asMap().forEach((key, value) -> {
            if (key.startsWith("apicurio.")) {
                props.put(key, value);
            }
        });
        return props;
    }
}
