package org.trapline.aggregator.estimate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.trapline.catalog.Deployment;

/**
 * One species' detection history over a survey: a row per sampling unit (a camera at its site, or a site),
 * a column per occasion, each cell 1 (detected), 0 (operating, not detected) or NA (not operating), the
 * input of occupancy models (MacKenzie et al. 2002) in the layout camtrapR's {@code detectionHistory} writes
 * and R's {@code unmarked::unmarkedFrameOccu} reads; and beside it the effort, the days each unit operated
 * in each occasion.
 *
 * <p>Rules, chosen to be the simplest defensible ones:
 * <ul>
 * <li>An occasion counts as surveyed (0 or 1) when the unit operated for any part of it; its effort, in
 *     days (fractions kept), says for how long, so that a minimum-effort rule or an effort covariate can
 *     be applied downstream. Occasions not operated at all are NA.</li>
 * <li>A camera operates from a deployment's start (inclusive) to its end (exclusive); a deployment still
 *     out (no end) operates until {@code now}. Deployments of one camera that overlap are counted once.</li>
 * <li>A detection counts in the occasion its time falls in (start inclusive, end exclusive), at the
 *     site of the deployment that covers it. One outside the survey period is left out
 *     ({@link #outsideSurvey()}); one within it at a time no deployment of its camera covers (a clock or
 *     catalog error) is left out too and counted ({@link #outsideDeployment()}).</li>
 * <li>By {@link Unit#CAMERA}, a row is a camera at a site, its id {@code site__camera} (like camtrapR's
 *     {@code byCamera = TRUE}, a row per station and camera); a camera moved between sites makes one row
 *     per site. By {@link Unit#SITE} (camtrapR's stations, its default), a row is a site: detected if any of
 *     its cameras detected the species, NA if none of them operated, and its effort the sum of its
 *     cameras' (camera-days, cameras counted as independent, camtrapR's {@code camerasIndependent = TRUE}).</li>
 * <li>Units that did not operate at all during the survey have no row; rows are sorted by id.</li>
 * </ul>
 *
 * <p>Feed it the capture times of the species' independent events (or of all its sightings: the history is
 * the same, only {@link Row#detections()} differs).
 *
 * @param occasionStarts    each occasion's start; the last ends at {@code to}
 * @param occasionLength    ISO-8601, e.g. {@code PT24H}
 * @param unit              what a row is
 * @param rows              one per unit that operated
 * @param outsideDeployment detections within the survey at a time no deployment of their camera covered
 * @param outsideSurvey     detections before {@code from} or at or after {@code to}
 */
public record DetectionHistory(Instant from, Instant to, String occasionLength, String zone, int occasions,
                               List<Instant> occasionStarts, Unit unit, List<Row> rows, long outsideDeployment,
                               long outsideSurvey) {

    /** What a row of the history is. */
    public enum Unit {
        /** A camera at a site ({@code site__camera}). */
        CAMERA,
        /** A site (camera-trap station), its cameras pooled. */
        SITE
    }

    /**
     * One unit's row.
     *
     * @param id         {@code site__camera} or the site id
     * @param cameraId   null for a site's row
     * @param history    per occasion 1, 0, or null for NA
     * @param effortDays per occasion the days operated (camera-days for a site), null where NA
     * @param detections detections counted in the row (events, when given events)
     * @param totalDays  the row's effort over the survey, days (camera-days for a site)
     */
    public record Row(String id, String siteId, String cameraId, List<Integer> history, List<Double> effortDays,
                      long detections, double totalDays) {

        public Row {
            history = java.util.Collections.unmodifiableList(new ArrayList<>(history));
            effortDays = java.util.Collections.unmodifiableList(new ArrayList<>(effortDays));
        }
    }

    /** Between site and camera in a {@link Unit#CAMERA} row's id. */
    public static final String SEPARATOR = "__";

    private static final double MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

    public DetectionHistory {
        occasionStarts = List.copyOf(occasionStarts);
        rows = List.copyOf(rows);
    }

    /**
     * The history of one species.
     *
     * @param occasions   the survey and its occasions
     * @param unit        a row per camera (at a site) or per site
     * @param deployments the cameras' deployments; those outside the survey play no part
     * @param detections  the species' detection times per camera id
     * @param now         until when deployments still out have operated (the stream's time)
     */
    public static DetectionHistory of(Occasions occasions, Unit unit, Collection<Deployment> deployments,
                                      Map<String, ? extends Collection<Instant>> detections, Instant now) {
        Objects.requireNonNull(now, "now");
        List<Instant> boundaries = occasions.boundaries();
        int n = boundaries.size() - 1;
        long[] starts = new long[n + 1];
        for (int k = 0; k <= n; k++) {
            starts[k] = boundaries.get(k).toEpochMilli();
        }
        long from = starts[0];
        long to = starts[n];

        // per camera at a site: the merged intervals it operated, clipped to the survey
        Map<String, Cells> cameras = new TreeMap<>();
        Map<String, List<Deployment>> byCamera = new HashMap<>();
        for (Deployment d : deployments) {
            Objects.requireNonNull(d.cameraId(), "deployment " + d.id() + " has no camera");
            Objects.requireNonNull(d.siteId(), "deployment " + d.id() + " has no site");
            long start = Math.max(from, d.start().toEpochMilli());
            long end = Math.min(to, (d.end() != null ? d.end() : now).toEpochMilli());
            Cells camera = cameras.computeIfAbsent(d.siteId() + SEPARATOR + d.cameraId(),
                    key -> new Cells(d.siteId(), d.cameraId(), n));
            if (start < end) {
                camera.intervals.add(new long[] {start, end});
            }
            byCamera.computeIfAbsent(d.cameraId(), c -> new ArrayList<>()).add(d);
        }
        for (Cells camera : cameras.values()) {
            camera.operate(starts);
        }

        long outsideDeployment = 0;
        long outsideSurvey = 0;
        for (Map.Entry<String, ? extends Collection<Instant>> entry : detections.entrySet()) {
            for (Instant time : entry.getValue()) {
                int k = Occasions.indexOf(boundaries, time);
                if (k < 0) {
                    outsideSurvey++;
                    continue;
                }
                Deployment covering = covering(byCamera.getOrDefault(entry.getKey(), List.of()), time, now);
                if (covering == null) {
                    outsideDeployment++;
                    continue;
                }
                Cells camera = cameras.get(covering.siteId() + SEPARATOR + covering.cameraId());
                camera.detected[k] = true;
                camera.detections++;
            }
        }

        List<Row> rows = new ArrayList<>();
        if (unit == Unit.CAMERA) {
            for (Map.Entry<String, Cells> e : cameras.entrySet()) {
                Cells camera = e.getValue();
                if (camera.totalMillis() > 0) {
                    rows.add(camera.row(e.getKey(), camera.cameraId));
                }
            }
        } else {
            Map<String, Cells> sites = new TreeMap<>();
            for (Cells camera : cameras.values()) {
                Cells site = sites.computeIfAbsent(camera.siteId, id -> new Cells(id, null, n));
                for (int k = 0; k < n; k++) {
                    site.millis[k] += camera.millis[k];
                    site.detected[k] |= camera.detected[k];
                }
                site.detections += camera.detections;
            }
            for (Map.Entry<String, Cells> e : sites.entrySet()) {
                if (e.getValue().totalMillis() > 0) {
                    rows.add(e.getValue().row(e.getKey(), null));
                }
            }
        }
        rows.sort(Comparator.comparing(Row::id));
        return new DetectionHistory(occasions.from(), occasions.to(), occasions.length().toString(),
                occasions.zone().getId(), n, boundaries.subList(0, n), unit, rows, outsideDeployment, outsideSurvey);
    }

    /** The camera's deployment that covers {@code time} (one still out covers it until now), or null. */
    private static Deployment covering(List<Deployment> deployments, Instant time, Instant now) {
        for (Deployment d : deployments) {
            if (d.covers(time) && (d.end() != null || time.isBefore(now))) {
                return d;
            }
        }
        return null;
    }

    /** The histories alone, one list per row: the input of {@link Occupancy#fit(List)}. */
    public List<List<Integer>> histories() {
        return rows.stream().map(Row::history).toList();
    }

    /**
     * The history as CSV, as camtrapR writes it and {@code unmarked} reads it
     * ({@code read.csv(file, row.names = 1)}): a header {@code station,o1,...,oN}, then a line per row,
     * the row's id then 1, 0 or NA per occasion.
     */
    public String toCsv() {
        return csv(row -> row.history().stream().map(v -> v == null ? "NA" : v.toString()).toList());
    }

    /**
     * The effort beside it, same layout: days operated per occasion (camera-days for a site), NA where the
     * history is NA; at most 6 decimals.
     */
    public String effortCsv() {
        return csv(row -> row.effortDays().stream().map(v -> v == null ? "NA" : decimal(v)).toList());
    }

    private String csv(java.util.function.Function<Row, List<String>> cells) {
        StringBuilder csv = new StringBuilder("station");
        for (int k = 1; k <= occasions; k++) {
            csv.append(",o").append(k);
        }
        csv.append('\n');
        for (Row row : rows) {
            csv.append(quote(row.id()));
            for (String cell : cells.apply(row)) {
                csv.append(',').append(cell);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    static String decimal(double value) {
        BigDecimal d = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    private static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }

    /** A unit while the history is computed: a camera at a site, or a site. */
    private static final class Cells {
        final String siteId;
        final String cameraId;
        final List<long[]> intervals = new ArrayList<>();
        final long[] millis;
        final boolean[] detected;
        long detections;

        Cells(String siteId, String cameraId, int n) {
            this.siteId = siteId;
            this.cameraId = cameraId;
            this.millis = new long[n];
            this.detected = new boolean[n];
        }

        /** Merges the intervals (overlapping deployments counted once) and adds each one's overlap with each occasion. */
        void operate(long[] starts) {
            intervals.sort(Comparator.comparingLong(i -> i[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] i : intervals) {
                long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && i[0] <= last[1]) {
                    last[1] = Math.max(last[1], i[1]);
                } else {
                    merged.add(new long[] {i[0], i[1]});
                }
            }
            for (long[] i : merged) {
                for (int k = 0; k < millis.length; k++) {
                    long overlap = Math.min(i[1], starts[k + 1]) - Math.max(i[0], starts[k]);
                    if (overlap > 0) {
                        millis[k] += overlap;
                    }
                }
            }
        }

        long totalMillis() {
            long total = 0;
            for (long m : millis) {
                total += m;
            }
            return total;
        }

        Row row(String id, String camera) {
            List<Integer> history = new ArrayList<>();
            List<Double> effort = new ArrayList<>();
            for (int k = 0; k < millis.length; k++) {
                boolean operated = millis[k] > 0;
                history.add(operated ? (detected[k] ? 1 : 0) : null);
                effort.add(operated ? millis[k] / MILLIS_PER_DAY : null);
            }
            return new Row(id, siteId, camera, history, effort, detections, totalMillis() / MILLIS_PER_DAY);
        }
    }
}
