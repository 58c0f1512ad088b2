package org.trapline.aggregator.estimate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Density of an unmarked species from camera-trap encounter rates: the random encounter model (REM) of
 * Rowcliffe, Field, Turvey, Carbone (2008), "Estimating animal density using camera traps without the
 * need for individual recognition", Journal of Applied Ecology 45: 1228–1236.
 *
 * <pre>
 * D = (y / t) · π / (v · r · (2 + θ))
 * </pre>
 *
 * {@code y} independent encounters (events) of the species in {@code t} camera-days, {@code v} the animals'
 * day range (km travelled per day), {@code r} the cameras' detection radius (km) and {@code θ} their
 * detection angle (radians); D is in animals per km². With stations whose cameras differ (a detection
 * zone per camera model), each station's expected count is {@code D·v·t_j·r_j·(2+θ_j)/π}, so the
 * maximum-likelihood estimate under Poisson counts is {@code D = π·Σy_j / (v·Σ t_j·r_j·(2+θ_j))}, the
 * formula above when every zone is the same.
 *
 * <p>Assumptions (the model's): animals move independently of the cameras (cameras placed at random with
 * respect to their movement, neither attracting nor repelling them) and of each other, as gas particles
 * (the model's derivation); the population is closed over the survey; every animal passing through the
 * detection zone (r, θ) is detected, and nothing outside it is; v is the day range of the population
 * surveyed, over the hours the effort is counted in (a day range over 24 hours for camera-days of 24
 * hours); each event is one animal, or, when events are of groups, D is of groups (multiply by the mean
 * group size); events are independent (see the independence interval the events were counted with).
 *
 * <p>Uncertainty: the standard error combines the relative errors of the parts by the delta method,
 * as Rowcliffe's camtools ({@code bootTRD}) does:
 *
 * <pre>
 * CV(D)² = CV(y/t)² + (se_v / v)² + CV(zone)²,    se(D) = D · CV(D)
 * CV(y/t)² = φ / y                                  (quasi-Poisson: var(y) = φ·y)
 * φ = max(1, X² / (n − 1)),  X² = Σ (y_j − μ_j)² / μ_j,  μ_j = y · w_j / Σw,  w_j = t_j·r_j·(2+θ_j)
 * CV(zone)² = Σ_z T_z²·((2+θ_z)²·se_r² + r_z²·se_θ²) / (Σ_j w_j)²     (one zone: (se_r/r)² + (se_θ/(2+θ))²)
 * </pre>
 *
 * over the {@code n} stations with effort (φ = 1 with one station), zones z with their camera-days T_z.
 * Counts that agree between stations as Poisson counts would give φ = 1, Poisson uncertainty alone;
 * stations that disagree more (patchy use of the habitat, the usual case) inflate it, as camtools'
 * bootstrap over camera locations would. The parameters' standard errors default to 0: then v, r and θ
 * are <b>treated as known</b>, and the interval reflects only the variation of the encounter rate, which
 * understates the uncertainty whenever they were themselves estimated: configure their standard errors.
 * The 95% interval is log-normal, {@code [D/C, D·C]} with {@code C = exp(1.96·√ln(1 + CV²))}, never
 * below 0. With no event, D̂ = 0 and the interval is {@code [0, π·3.689/(v·Σw)]}, 3.689 = −ln 0.025 the
 * upper 95% bound of a Poisson mean after a count of 0 (v, r and θ treated as known there).
 *
 * @param status                 whether a density could be estimated
 * @param note                   what an edge case means; null otherwise
 * @param density                animals (or groups) per km²
 * @param standardError          se(D), per km²
 * @param lower95                per km²
 * @param upper95                per km²
 * @param events                 y, summed over stations
 * @param cameraDays             t, summed over stations
 * @param stations               the stations with effort
 * @param eventsPer100CameraDays the trap rate, 100·y/t
 * @param dayRangeKm             v
 * @param dispersion             φ
 * @param cvEncounterRate        CV(y/t)
 * @param cvDayRange             se_v / v
 * @param cvDetectionZone        CV(zone)
 */
public record RandomEncounter(Status status, String note, Double density, Double standardError, Double lower95,
                              Double upper95, long events, double cameraDays, int stations,
                              Double eventsPer100CameraDays, double dayRangeKm, Double dispersion,
                              Double cvEncounterRate, double cvDayRange, Double cvDetectionZone) {

    /** Whether a density could be estimated. */
    public enum Status {
        ESTIMATED,
        /** No camera effort. */
        NOT_ESTIMABLE
    }

    /**
     * A species' day range: the distance an animal travels in a day, km, and its standard error (0: known).
     */
    public record DayRange(double km, double seKm) {

        public DayRange {
            if (!(km > 0) || Double.isInfinite(km)) {
                throw new IllegalArgumentException("a day range must be a positive number of km, not " + km);
            }
            if (!(seKm >= 0) || Double.isInfinite(seKm)) {
                throw new IllegalArgumentException("a day range's standard error must be 0 or more km, not " + seKm);
            }
        }

        public static DayRange known(double km) {
            return new DayRange(km, 0);
        }
    }

    /**
     * A camera's detection zone, a sector of radius r and angle θ in front of it, with their standard errors
     * (0: known); in the field's units, metres and degrees.
     */
    public record DetectionZone(double radiusM, double angleDeg, double radiusSeM, double angleSeDeg) {

        public DetectionZone {
            if (!(radiusM > 0) || Double.isInfinite(radiusM)) {
                throw new IllegalArgumentException("a detection radius must be a positive number of metres, not " + radiusM);
            }
            if (!(angleDeg > 0 && angleDeg <= 360)) {
                throw new IllegalArgumentException("a detection angle must be more than 0 and at most 360 degrees, not " + angleDeg);
            }
            if (!(radiusSeM >= 0) || !(angleSeDeg >= 0) || Double.isInfinite(radiusSeM) || Double.isInfinite(angleSeDeg)) {
                throw new IllegalArgumentException("a detection zone's standard errors must be 0 or more, not "
                        + radiusSeM + " m, " + angleSeDeg + "°");
            }
        }

        public static DetectionZone known(double radiusM, double angleDeg) {
            return new DetectionZone(radiusM, angleDeg, 0, 0);
        }

        double radiusKm() {
            return radiusM / 1000;
        }

        double angleRad() {
            return Math.toRadians(angleDeg);
        }
    }

    /**
     * A camera-trap station's encounters.
     *
     * @param events     independent events of the species at it
     * @param cameraDays its effort
     * @param zone       its cameras' detection zone
     */
    public record Station(String id, long events, double cameraDays, DetectionZone zone) {

        public Station {
            if (events < 0 || !(cameraDays >= 0) || Double.isInfinite(cameraDays)) {
                throw new IllegalArgumentException("station " + id + ": events and camera-days must be 0 or more, not "
                        + events + ", " + cameraDays);
            }
            if (zone == null) {
                throw new IllegalArgumentException("station " + id + " has no detection zone");
            }
        }

        /**
         * A station per row of a history fed with the species' independent events: its events
         * ({@link DetectionHistory.Row#detections()}) and its effort ({@link DetectionHistory.Row#totalDays()}).
         */
        public static List<Station> of(DetectionHistory history, Function<DetectionHistory.Row, DetectionZone> zone) {
            return history.rows().stream()
                    .map(row -> new Station(row.id(), row.detections(), row.totalDays(), zone.apply(row))).toList();
        }
    }

    static final double Z95 = 1.959963984540054;

    /** −ln 0.025: the upper end of the exact two-sided 95% interval of a Poisson mean after a count of 0. */
    static final double POISSON_UPPER_AT_ZERO = -Math.log(0.025);

    /** The density from counts pooled over cameras of one zone (one station: Poisson uncertainty on y). */
    public static RandomEncounter estimate(long events, double cameraDays, DayRange dayRange, DetectionZone zone) {
        return estimate(List.of(new Station("all", events, cameraDays, zone)), dayRange);
    }

    /** The density from each station's encounters and effort. */
    public static RandomEncounter estimate(List<Station> stations, DayRange dayRange) {
        long y = 0;
        double t = 0;
        double w = 0;
        Map<DetectionZone, Double> daysByZone = new LinkedHashMap<>();
        List<Station> withEffort = new ArrayList<>();
        for (Station s : stations) {
            if (s.cameraDays() <= 0) {
                if (s.events() > 0) {
                    throw new IllegalArgumentException("station " + s.id() + " has " + s.events() + " events in no camera-days");
                }
                continue;
            }
            withEffort.add(s);
            y += s.events();
            t += s.cameraDays();
            w += s.cameraDays() * width(s.zone());
            daysByZone.merge(s.zone(), s.cameraDays(), Double::sum);
        }
        double v = dayRange.km();
        double cvV = dayRange.seKm() / v;
        if (withEffort.isEmpty()) {
            return new RandomEncounter(Status.NOT_ESTIMABLE, "not estimable: no camera effort", null, null, null, null,
                    0, 0, 0, null, v, null, null, cvV, null);
        }
        double rate = 100 * y / t;
        double density = Math.PI * y / (v * w);

        double varW = 0;
        for (Map.Entry<DetectionZone, Double> e : daysByZone.entrySet()) {
            DetectionZone z = e.getKey();
            double seR = z.radiusSeM() / 1000;
            double seTheta = Math.toRadians(z.angleSeDeg());
            varW += e.getValue() * e.getValue()
                    * ((2 + z.angleRad()) * (2 + z.angleRad()) * seR * seR + z.radiusKm() * z.radiusKm() * seTheta * seTheta);
        }
        double cvZone = Math.sqrt(varW) / w;

        if (y == 0) {
            double upper = Math.PI * POISSON_UPPER_AT_ZERO / (v * w);
            return new RandomEncounter(Status.ESTIMATED, "no encounter: the density's estimate is 0, its 95% upper bound "
                    + "that of a Poisson count of 0 (3.689 events), with v, r and θ treated as known", 0.0, 0.0, 0.0,
                    upper, 0, t, withEffort.size(), 0.0, v, null, null, cvV, cvZone);
        }

        double dispersion = 1;
        if (withEffort.size() >= 2) {
            double chi2 = 0;
            for (Station s : withEffort) {
                double mu = y * s.cameraDays() * width(s.zone()) / w;
                chi2 += (s.events() - mu) * (s.events() - mu) / mu;
            }
            dispersion = Math.max(1, chi2 / (withEffort.size() - 1));
        }
        double cvRate = Math.sqrt(dispersion / y);
        double cv2 = cvRate * cvRate + cvV * cvV + cvZone * cvZone;
        double c = Math.exp(Z95 * Math.sqrt(Math.log1p(cv2)));
        return new RandomEncounter(Status.ESTIMATED, null, density, density * Math.sqrt(cv2), density / c, density * c,
                y, t, withEffort.size(), rate, v, dispersion, cvRate, cvV, cvZone);
    }

    /** r·(2+θ), km: the zone's effective width for an animal crossing it. */
    private static double width(DetectionZone zone) {
        return zone.radiusKm() * (2 + zone.angleRad());
    }
}
