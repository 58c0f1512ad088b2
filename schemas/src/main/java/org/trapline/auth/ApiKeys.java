package org.trapline.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.trapline.config.TraplineConfig;

/**
 * Who may call Trapline's APIs. Each gateway has its own key, bound to the cameras it may speak for;
 * operators may speak for every camera and change the site catalog. Only SHA-256 hashes of the keys are
 * configured: keys are long random tokens, so a fast hash is as safe as a slow one here, and a leaked
 * configuration reveals no key.
 *
 * <pre>
 * ingest.gateway.north.key.sha256 = 3f5a…        (TRAPLINE_INGEST_GATEWAY_NORTH_KEY_SHA256)
 * ingest.gateway.north.cameras    = cam-07,cam-08
 * ingest.operator.amara.key.sha256 = 9c1e…
 * </pre>
 */
public final class ApiKeys {

    /** Whoever presented a valid key. */
    public record Principal(String name, boolean operator, Set<String> cameras) {
        public boolean mayUse(String cameraId) {
            return operator || cameras.contains(cameraId);
        }
    }

    private record Entry(byte[] hash, Principal principal) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys fromConfig(TraplineConfig config) {
        List<Entry> entries = new ArrayList<>();
        add(entries, config, "ingest.gateway.", false);
        add(entries, config, "ingest.operator.", true);
        return new ApiKeys(entries);
    }

    private static void add(List<Entry> entries, TraplineConfig config, String prefix, boolean operator) {
        var settings = config.withPrefix(prefix);
        Set<String> names = settings.keySet().stream().filter(k -> k.endsWith(".key.sha256"))
                .map(k -> k.substring(0, k.length() - ".key.sha256".length())).collect(Collectors.toCollection(TreeSet::new));
        for (String name : names) {
            String hash = settings.get(name + ".key.sha256").toLowerCase();
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(prefix + name + ".key.sha256 must be a hex SHA-256 (see: trapline api-key)");
            }
            Set<String> cameras = Arrays.stream(settings.getOrDefault(name + ".cameras", "").split(","))
                    .map(String::trim).filter(c -> !c.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
            entries.add(new Entry(HexFormat.of().parseHex(hash), new Principal(name, operator, Set.copyOf(cameras))));
        }
    }

    /** The principal whose key this is; compares in constant time. */
    public Optional<Principal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        byte[] presented = HexFormat.of().parseHex(hash(presentedKey));
        Principal found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), presented)) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new random key (256 bits, URL-safe) for a gateway or an operator. */
    public static String newKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return "tl_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
