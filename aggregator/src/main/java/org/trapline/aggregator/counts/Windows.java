package org.trapline.aggregator.counts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.schema.CountWindow;

/**
 * The windows a sighting is counted in: all time, its day (in the site's time zone), its deployment, each
 * capture session with an occasion that holds it, and each season that holds it. A window's key names it
 * in the stores, on {@code site-counts} and in the HTTP API: {@code all}, {@code day/2026-03-14},
 * {@code deployment/kn-cam07-2026a}, {@code session/wet-2026}, {@code season/wet-2026}. Seasons are not
 * published on {@code site-counts}, whose window kinds do not name them; they are asked for over HTTP.
 */
public final class Windows {

    public static final String ALL = "all";
    static final String DAY = "day/";
    static final String DEPLOYMENT = "deployment/";
    static final String SESSION = "session/";
    static final String SEASON = "season/";
    /** The kind of a season's window (the others are {@link CountWindow}'s). */
    public static final String SEASON_KIND = "SEASON";

    /** A window a sighting falls in; {@code occasion} is 1 or 2 in a session, else 1. */
    public record Window(String key, int occasion) {
        public boolean isSession() {
            return key.startsWith(SESSION);
        }
    }

    /** What a window key stands for: its kind (a {@link CountWindow}, or {@value #SEASON_KIND}), its bounds (null where open). */
    public record Span(String key, String kind, Instant start, Instant end, Optional<CaptureSession> session) {
    }

    private final SiteDirectory sites;
    private final List<CaptureSession> sessions;
    private final List<Season> seasons;

    public Windows(SiteDirectory sites, List<CaptureSession> sessions, List<Season> seasons) {
        this.sites = sites;
        this.sessions = List.copyOf(sessions);
        this.seasons = List.copyOf(seasons);
    }

    public List<CaptureSession> sessions() {
        return sessions;
    }

    public List<Season> seasons() {
        return seasons;
    }

    public static String season(Season season) {
        return SEASON + season.name();
    }

    /** Whether a window is published on {@code site-counts}: every one but seasons. */
    static boolean published(String key) {
        return !key.startsWith(SEASON);
    }

    public List<Window> of(String siteId, long time, String deploymentId) {
        List<Window> windows = new ArrayList<>(4);
        windows.add(new Window(ALL, 1));
        windows.add(new Window(day(siteId, time), 1));
        if (deploymentId != null) {
            windows.add(new Window(DEPLOYMENT + deploymentId, 1));
        }
        for (CaptureSession session : sessions) {
            int occasion = session.occasion(time);
            if (occasion > 0 && session.appliesTo(siteId)) {
                windows.add(new Window(SESSION + session.name(), occasion));
            }
        }
        for (Season season : seasons) {
            if (season.contains(time) && season.appliesTo(siteId)) {
                windows.add(new Window(season(season), 1));
            }
        }
        return windows;
    }

    public String day(String siteId, long time) {
        return DAY + Instant.ofEpochMilli(time).atZone(sites.zone(siteId)).toLocalDate();
    }

    public int hourOfDay(String siteId, long time) {
        return Instant.ofEpochMilli(time).atZone(sites.zone(siteId)).getHour();
    }

    public Span span(String siteId, String key) {
        if (key.startsWith(DAY)) {
            ZoneId zone = sites.zone(siteId);
            LocalDate date = LocalDate.parse(key.substring(DAY.length()));
            return new Span(key, CountWindow.DAY.name(), date.atStartOfDay(zone).toInstant(),
                    date.plusDays(1).atStartOfDay(zone).toInstant(), Optional.empty());
        }
        if (key.startsWith(DEPLOYMENT)) {
            var deployment = sites.deployment(key.substring(DEPLOYMENT.length()));
            return new Span(key, CountWindow.DEPLOYMENT.name(), deployment.map(d -> d.start()).orElse(null),
                    deployment.map(d -> d.end()).orElse(null), Optional.empty());
        }
        if (key.startsWith(SESSION)) {
            Optional<CaptureSession> session = session(key.substring(SESSION.length()));
            return new Span(key, CountWindow.SESSION.name(), session.map(CaptureSession::start1).orElse(null),
                    session.map(CaptureSession::end2).orElse(null), session);
        }
        if (key.startsWith(SEASON)) {
            Optional<Season> season = seasons.stream().filter(s -> key.equals(season(s))).findFirst();
            return new Span(key, SEASON_KIND, season.map(Season::start).orElse(null), season.map(Season::end).orElse(null),
                    Optional.empty());
        }
        return new Span(ALL, CountWindow.ALL_TIME.name(), null, null, Optional.empty());
    }

    public Optional<CaptureSession> session(String name) {
        return sessions.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Trap-nights in a window: the site's deployments within its bounds (a deployment's window: that
     * deployment; a session: its two occasions); empty when the catalog knows no deployment there.
     */
    public java.util.OptionalDouble trapNights(String siteId, Span span, Instant now) {
        if (span.kind().equals(CountWindow.DEPLOYMENT.name())) {
            return sites.deployment(span.key().substring(DEPLOYMENT.length()))
                    .map(d -> java.util.OptionalDouble.of(SiteDirectory.trapNights(d, null, null, now)))
                    .orElse(java.util.OptionalDouble.empty());
        }
        if (span.session().isPresent()) {
            CaptureSession s = span.session().get();
            var first = sites.trapNights(siteId, s.start1(), s.end1(), now);
            var second = sites.trapNights(siteId, s.start2(), s.end2(), now);
            return first.isPresent() ? java.util.OptionalDouble.of(first.getAsDouble() + second.getAsDouble()) : first;
        }
        return sites.trapNights(siteId, span.start(), span.end(), now);
    }
}
