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

import org.trapline.config.Setting;
import org.trapline.config.TraplineConfig;

/**
 * Who may call Trapline's APIs. Each gateway has its own key, bound to the cameras it may speak for;
 * each reviewer has one bound to the sites whose frames they may correct ({@code *}: every site);
 * operators may speak for every camera, review every site and change the site catalog. Only SHA-256 hashes of the keys are
 * configured: keys are long random tokens, so a fast hash is as safe as a slow one here, and a leaked
 * configuration reveals no key.
 *
 * <pre>
 * ingest.gateway.north.key.sha256 = 3f5a…        (TRAPLINE_INGEST_GATEWAY_NORTH_KEY_SHA256)
 * ingest.gateway.north.cameras    = cam-07,cam-08
 * ingest.reviewer.thandi.key.sha256 = 51d0…
 * ingest.reviewer.thandi.sites      = north-ridge
 * ingest.operator.amara.key.sha256 = 9c1e…
 * </pre>
 */
public final class ApiKeys {

    /** What a key is for. */
    public enum Role {
        /** A camera gateway: sends its cameras' frames, nothing else. */
        GATEWAY,
        /** A person who verifies what the networks said at their sites. */
        REVIEWER,
        /** Runs the system: every camera, every site, the catalog. */
        OPERATOR
    }

    /** The site list of a reviewer who may review every site. */
    public static final String EVERY_SITE = "*";

    /** Whoever presented a valid key. */
    public record Principal(String name, Role role, Set<String> cameras, Set<String> sites) {

        public boolean operator() {
            return role == Role.OPERATOR;
        }

        /** Whether it may send frames for the camera: an operator, or the gateway bound to it. */
        public boolean mayUse(String cameraId) {
            return operator() || role == Role.GATEWAY && cameras.contains(cameraId);
        }

        /** Whether it may review and correct the site's frames: an operator, or a reviewer bound to the site. */
        public boolean mayReview(String siteId) {
            return operator() || role == Role.REVIEWER && (sites.contains(EVERY_SITE) || sites.contains(siteId));
        }

        /** Whether it may review everything: an operator, or a reviewer bound to every site ({@value #EVERY_SITE}). */
        public boolean mayReviewEverySite() {
            return operator() || role == Role.REVIEWER && sites.contains(EVERY_SITE);
        }

        /** Whether it may review at all (at some site). */
        public boolean reviews() {
            return operator() || role == Role.REVIEWER && !sites.isEmpty();
        }
    }

    private record Entry(byte[] hash, Principal principal) {
    }

    /**
     * What signs the pages' sessions. Unset, each process draws its own at start: a session then lasts until
     * that process stops, and only on it; instances behind one address need the same secret.
     */
    public static final Setting<String> SESSION_SECRET = Setting.text("http.session.secret", null,
            "signs the pages' sessions (any long random text; the same on every instance); unset: a random one per process")
            .documentedDefault("a random one per process");

    private final List<Entry> entries;
    private final byte[] sessionSecret;

    private ApiKeys(List<Entry> entries, byte[] sessionSecret) {
        this.entries = List.copyOf(entries);
        this.sessionSecret = sessionSecret.clone();
    }

    public static ApiKeys fromConfig(TraplineConfig config) {
        List<Entry> entries = new ArrayList<>();
        add(entries, config, "ingest.gateway.", Role.GATEWAY);
        add(entries, config, "ingest.reviewer.", Role.REVIEWER);
        add(entries, config, "ingest.operator.", Role.OPERATOR);
        String secret = SESSION_SECRET.of(config);
        byte[] signing = new byte[32];
        if (secret == null) {
            new SecureRandom().nextBytes(signing);
        } else {
            signing = secret.getBytes(StandardCharsets.UTF_8);
        }
        return new ApiKeys(entries, signing);
    }

    private static void add(List<Entry> entries, TraplineConfig config, String prefix, Role role) {
        var settings = config.withPrefix(prefix);
        Set<String> names = settings.keySet().stream().filter(k -> k.endsWith(".key.sha256"))
                .map(k -> k.substring(0, k.length() - ".key.sha256".length())).collect(Collectors.toCollection(TreeSet::new));
        for (String name : names) {
            String hash = settings.get(name + ".key.sha256").toLowerCase();
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(prefix + name + ".key.sha256 must be a hex SHA-256 (see: trapline api-key)");
            }
            Set<String> cameras = list(settings.getOrDefault(name + ".cameras", ""));
            Set<String> sites = list(settings.getOrDefault(name + ".sites", ""));
            if (role == Role.REVIEWER && sites.isEmpty()) {
                // a reviewer sees frames: which sites' must be said, never assumed
                throw new IllegalArgumentException(prefix + name + ".sites must list the sites the reviewer may review "
                        + "(comma-separated site ids, or " + EVERY_SITE + " for every site)");
            }
            entries.add(new Entry(HexFormat.of().parseHex(hash), new Principal(name, role, cameras, sites)));
        }
    }

    private static Set<String> list(String commaSeparated) {
        return Set.copyOf(Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(c -> !c.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    /**
     * A session for a page, once its user has signed in with a key: {@code role.name.expiry.mac}, the mac an
     * HMAC-SHA256 of the rest keyed by the session secret and the key's configured hash. Nothing is kept on the
     * server, so any instance with the same secret and keys takes it; it dies with its expiry, when the key is
     * removed from the configuration, or when the secret changes. The configuration alone (hashes, no secret)
     * makes no session.
     */
    public String session(Principal principal, java.time.Instant expiry) {
        Entry entry = entries.stream().filter(e -> e.principal().equals(principal)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key for " + principal.name()));
        String body = principal.role().name() + "." + principal.name() + "." + expiry.toEpochMilli();
        return body + "." + mac(entry.hash(), body);
    }

    /** The principal a session was made for, while it has not expired at {@code now}. */
    public Optional<Principal> fromSession(String session, java.time.Instant now) {
        if (session == null) {
            return Optional.empty();
        }
        // role.name.expiry.mac: a name may hold dots, the other three do not
        int first = session.indexOf('.');
        int last = session.lastIndexOf('.');
        int expiryStart = last < 0 ? -1 : session.lastIndexOf('.', last - 1);
        if (first < 0 || expiryStart <= first) {
            return Optional.empty();
        }
        String[] parts = {session.substring(0, first), session.substring(first + 1, expiryStart),
                session.substring(expiryStart + 1, last), session.substring(last + 1)};
        if (!parts[2].matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        String body = session.substring(0, last);
        if (Long.parseLong(parts[2]) <= now.toEpochMilli()) {
            return Optional.empty();
        }
        for (Entry entry : entries) {
            Principal p = entry.principal();
            if (p.role().name().equals(parts[0]) && p.name().equals(parts[1])
                    && MessageDigest.isEqual(mac(entry.hash(), body).getBytes(StandardCharsets.US_ASCII),
                    parts[3].getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private String mac(byte[] keyHash, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(sessionSecret, "HmacSHA256"));
            byte[] perKey = mac.doFinal(keyHash);
            mac.init(new javax.crypto.spec.SecretKeySpec(perKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
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
