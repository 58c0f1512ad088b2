package org.trapline.aggregator;

import java.time.Duration;
import java.util.List;

import org.trapline.aggregator.counts.CountSettings;
import org.trapline.aggregator.counts.DemographySettings;
import org.trapline.aggregator.export.CamtrapDpExport;
import org.trapline.config.Setting;

/**
 * The aggregator service's own settings, each declared once ({@link Setting}), and {@link #ALL} the aggregator's
 * settings declared so, with those of the records that read them ({@link CountSettings}, {@link DemographySettings},
 * {@link CamtrapDpExport.Project}); docs/configuration.md shows the same defaults ({@code SettingsReferenceTest}).
 * Keys read under a prefix (sessions, seasons, age rules, the random encounter model) are read by their own classes.
 */
public final class AggregatorSettings {

    public static final Setting<String> ADVERTISED_HOST = Setting.text("aggregator.advertised.host", null,
            "the name other instances reach this one by (application.server)").documentedDefault("the HTTP host");
    public static final Setting<Integer> STREAM_THREADS = Setting.integer("aggregator.stream.threads", 1,
            "Kafka Streams threads").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Long> COMMIT_INTERVAL_MS = Setting.longInteger("aggregator.commit.interval.ms", 1000,
            "each commit is one exactly-once transaction over every stage (a kafka.commit.interval.ms wins)")
            .requiring(v -> v >= 1, "1 or more");
    public static final Setting<Long> DASHBOARD_REFRESH_MS = Setting.longInteger("aggregator.dashboard.refresh.ms", 1000,
            "how often the dashboard's live counts are looked at").requiring(v -> v >= 1, "1 or more");
    public static final Setting<String> IDENTIFIER_URL = Setting.text("aggregator.identifier.url", "http://127.0.0.1:8084",
            "the address a browser reaches the identifier's API by, for reference crops");
    public static final Setting<String> CATALOG_FILE = Setting.text("aggregator.catalog.file", null,
            "the site catalog").documentedDefault("`ingest.catalog.file`, else `<data.dir>/ingest/catalog.json`");

    public static final Setting<Double> AUDIT_SHARE = Setting.decimal("aggregator.review.audit.share", 0.02,
            "the share of frames called empty that the blank audit sends to the reviewers' queue")
            .requiring(v -> v >= 0 && v <= 1, "a share from 0 to 1");
    public static final Setting<Integer> AUDIT_MIN_PER_DAY = Setting.integer("aggregator.review.audit.min.per.day", 3,
            "at least this many frames called empty per site and local day go to the queue").requiring(v -> v >= 0, "0 or more");
    public static final Setting<Duration> SESSION_LENGTH = Setting.duration("aggregator.review.session", Duration.ofHours(12),
            "how long a page's sign-in lasts").requiring(v -> !v.isNegative() && !v.isZero(), "longer than 0");

    /** Every aggregator setting declared as a {@link Setting}. */
    public static final List<Setting<?>> ALL = List.of(CountSettings.APPLICATION_ID, STREAM_THREADS, CountSettings.PARTITIONS,
            COMMIT_INTERVAL_MS, CountSettings.PUBLISH_INTERVAL_MS, CountSettings.INDEPENDENCE_MINUTES, CATALOG_FILE,
            IDENTIFIER_URL, DASHBOARD_REFRESH_MS, ADVERTISED_HOST, DemographySettings.GONE_AFTER_DAYS,
            CamtrapDpExport.Project.TITLE, CamtrapDpExport.Project.CONTRIBUTOR, CamtrapDpExport.Project.SAMPLING_DESIGN,
            AUDIT_SHARE, AUDIT_MIN_PER_DAY, SESSION_LENGTH);

    private AggregatorSettings() {
    }
}
