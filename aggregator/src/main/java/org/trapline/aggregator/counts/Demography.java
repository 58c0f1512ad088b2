package org.trapline.aggregator.counts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.trapline.schema.AgeClass;
import org.trapline.schema.LifeStatus;
import org.trapline.schema.Sex;

/**
 * A site's demography in a season, per species, read from the counting stage's stores: when each
 * individual was seen at the site (which follows merges and splits like every count) and what the
 * gallery says of it (from the individual stage). The site is the population: an animal that moves to
 * another site has left this one, and one that arrives is recruited into it.
 *
 * <ul>
 * <li><b>known alive</b> (Krebs' minimum number known alive): seen at the site in the season, or seen
 *     there both before and after it;</li>
 * <li>of those, by <b>sex</b> and by <b>age class</b> on the season's first day (as assessed, moved on by
 *     {@link AgeRules}); the <b>sex ratio</b> is females / (females + males), with Wilson's 95% interval;</li>
 * <li><b>births</b>: individuals seen at the site whose birth date (born, or first seen as young) falls in
 *     the season;</li>
 * <li><b>recruits</b>: individuals first seen at the site in the season;</li>
 * <li><b>disappearances</b>: individuals last seen at the site in the season and not seen there since for
 *     the configured time ({@link DemographySettings#goneAfter()}), as of the site's latest capture (so an
 *     archive imported late, or a site whose cameras were taken in, does not lose its animals); a new
 *     sighting brings an individual back;</li>
 * <li><b>deaths</b>: individuals the gallery records as confirmed dead on a date in the season.</li>
 * </ul>
 *
 * The <b>return rate</b> from one season to another is the share of the individuals seen at the site in
 * the first that are seen there again in the second, with Wilson's interval. Every season is read from
 * the capture times themselves, so a season added to the configuration later is told in full.
 */
public final class Demography {

    /** The counting stage's stores it reads, for the site's partition. */
    public record Stores(ReadOnlyKeyValueStore<String, String> individualTimes, ReadOnlyKeyValueStore<String, SiteProfile> profiles,
                         ReadOnlyKeyValueStore<String, SightingView> sightings) {
    }

    /** One individual of a season at a site, and what it counts towards. */
    public record Member(String individualId, String name, Sex sex, AgeClass ageClass, Instant firstSeen, Instant lastSeen,
                         boolean knownAlive, boolean seen, boolean birth, boolean recruit, boolean disappeared, boolean died) {
    }

    public record SpeciesDemography(String species, long knownAlive, long seen, Map<String, Long> sex,
                                    Map<String, Long> ageClass, Wilson sexRatio, long births, long recruits,
                                    long disappearances, long deaths, List<Member> individuals) {
    }

    /**
     * @param ageClassesOn the day age classes are told for: the season's first, at the site
     * @param asOf         the site's latest capture, which disappearances are judged by (null: none yet)
     */
    public record SeasonDemography(String siteId, String season, Instant start, Instant end, LocalDate ageClassesOn,
                                   Instant asOf, long goneAfterDays, List<SpeciesDemography> species) {
    }

    /** @param returnRate returned of those seen in the first season */
    public record SpeciesReturn(String species, Wilson returnRate, List<String> returned) {
    }

    public record ReturnRate(String siteId, String from, String to, List<SpeciesReturn> species) {
    }

    /** What the stores say of one individual at the site. */
    private record Seen(String individualId, String species, SiteProfile profile, long first, long last) {
    }

    private final DemographySettings settings;
    private final Function<String, ZoneId> zones;

    /** @param zones each site's time zone (its days) */
    public Demography(DemographySettings settings, Function<String, ZoneId> zones) {
        this.settings = settings;
        this.zones = zones;
    }

    public DemographySettings settings() {
        return settings;
    }

    public SeasonDemography of(String site, Season season, Stores stores) {
        ZoneId zone = zones.apply(site);
        LocalDate firstDay = season.start().atZone(zone).toLocalDate();
        String latest = Scans.last(stores.sightings(), Keys.prefix(site));
        Long asOf = latest == null ? null : Keys.time(Keys.split(latest)[1]);
        long start = season.start().toEpochMilli();
        long end = season.end().toEpochMilli();

        Map<String, List<Member>> bySpecies = new TreeMap<>();
        for (Seen i : individuals(site, stores)) {
            boolean seen = seenBetween(stores, site, i.individualId(), start, end);
            boolean knownAlive = seen || i.first() < start && i.last() >= end;
            LifeHistoryView life = i.profile().life();
            boolean birth = life != null && life.birthDate() != null && season.contains(dayStart(life.birthDate(), zone));
            boolean died = life != null && life.status() == LifeStatus.CONFIRMED_DEAD && life.statusDate() != null
                    && season.contains(dayStart(life.statusDate(), zone));
            if (!knownAlive && !birth && !died) {
                continue;
            }
            boolean recruit = season.contains(i.first());
            boolean disappeared = season.contains(i.last()) && asOf != null && asOf - i.last() >= settings.goneAfter().toMillis();
            AgeClass age = settings.ages().on(i.species(), life, firstDay);
            bySpecies.computeIfAbsent(i.species(), k -> new ArrayList<>()).add(new Member(i.individualId(), i.profile().name(),
                    LifeHistoryView.sex(life), age, Instant.ofEpochMilli(i.first()), Instant.ofEpochMilli(i.last()),
                    knownAlive, seen, birth, recruit, disappeared, died));
        }
        List<SpeciesDemography> species = new ArrayList<>();
        bySpecies.forEach((name, members) -> species.add(summary(name, members)));
        return new SeasonDemography(site, season.name(), season.start(), season.end(), firstDay,
                asOf == null ? null : Instant.ofEpochMilli(asOf), settings.goneAfter().toDays(), species);
    }

    private static SpeciesDemography summary(String species, List<Member> members) {
        List<Member> alive = members.stream().filter(Member::knownAlive).toList();
        Map<String, Long> sex = new LinkedHashMap<>();
        for (Sex s : List.of(Sex.FEMALE, Sex.MALE, Sex.UNKNOWN)) {
            sex.put(label(s), alive.stream().filter(m -> m.sex() == s).count());
        }
        Map<String, Long> age = new LinkedHashMap<>();
        for (AgeClass a : List.of(AgeClass.JUVENILE, AgeClass.SUBADULT, AgeClass.ADULT, AgeClass.UNKNOWN)) {
            age.put(label(a), alive.stream().filter(m -> m.ageClass() == a).count());
        }
        long females = sex.get(label(Sex.FEMALE));
        return new SpeciesDemography(species, alive.size(), members.stream().filter(Member::seen).count(), sex, age,
                Wilson.of(females, females + sex.get(label(Sex.MALE))),
                members.stream().filter(Member::birth).count(), members.stream().filter(Member::recruit).count(),
                members.stream().filter(Member::disappeared).count(), members.stream().filter(Member::died).count(), members);
    }

    public ReturnRate returnRate(String site, Season first, Season second, Stores stores) {
        Map<String, List<String>> seenFirst = new TreeMap<>();
        Map<String, List<String>> seenAgain = new TreeMap<>();
        for (Seen i : individuals(site, stores)) {
            if (seenBetween(stores, site, i.individualId(), first.start().toEpochMilli(), first.end().toEpochMilli())) {
                seenFirst.computeIfAbsent(i.species(), k -> new ArrayList<>()).add(i.individualId());
                if (seenBetween(stores, site, i.individualId(), second.start().toEpochMilli(), second.end().toEpochMilli())) {
                    seenAgain.computeIfAbsent(i.species(), k -> new ArrayList<>()).add(i.individualId());
                }
            }
        }
        List<SpeciesReturn> species = new ArrayList<>();
        seenFirst.forEach((name, ids) -> {
            List<String> back = seenAgain.getOrDefault(name, List.of());
            species.add(new SpeciesReturn(name, Wilson.of(back.size(), ids.size()), back));
        });
        return new ReturnRate(site, first.name(), second.name(), species);
    }

    /**
     * Every individual with a sighting at the site now: its species as the gallery has it (as its first
     * sighting here has it, while the gallery has said nothing), its profile, and its first and last
     * capture time here.
     */
    private static List<Seen> individuals(String site, Stores stores) {
        List<Seen> all = new ArrayList<>();
        for (String individual : Scans.distinctNext(stores.individualTimes(), Keys.prefix(site))) {
            String times = Keys.prefix(site, individual);
            String[] first = Keys.split(Scans.first(stores.individualTimes(), times));
            String[] last = Keys.split(Scans.last(stores.individualTimes(), times));
            SiteProfile profile = stores.profiles().get(Keys.of(site, individual));
            if (profile == null) {
                profile = SiteProfile.UNKNOWN;
            }
            long firstTime = Keys.time(first[2]);
            String species = profile.species();
            if (species == null) {
                SightingView view = stores.sightings().get(CountStores.sightingKey(site, firstTime, first[3]));
                species = view == null ? "" : view.facts().species();
            }
            all.add(new Seen(individual, species, profile, firstTime, Keys.time(last[2])));
        }
        return all;
    }

    /** Whether the individual was seen at the site in {@code [from, to)}. */
    private static boolean seenBetween(Stores stores, String site, String individual, long from, long to) {
        String times = Keys.prefix(site, individual);
        String key = Scans.first(stores.individualTimes(), times + Keys.time(from), times);
        return key != null && Keys.time(Keys.split(key)[2]) < to;
    }

    private static long dayStart(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
