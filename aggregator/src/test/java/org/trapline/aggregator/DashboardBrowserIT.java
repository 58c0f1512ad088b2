package org.trapline.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.aggregator.dashboard.Chromium;
import org.trapline.synthetic.SyntheticSeason;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.DetectionRef;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sex;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;

/**
 * The dashboard's pages in a real headless Chromium (Debian's package), against a real aggregator:
 * <ul>
 * <li>the sites page: the sites' counts appear, and change on the page as new sightings are counted,
 *     without a reload; the activity chart, the distinct individuals (each a link to its profile) and the
 *     recent sightings of the selected site are shown;</li>
 * <li>an individual's profile page: what the API says of it (name, sex, age class today, encounters, its
 *     seasons and sites, on a map), and its reference crops as images from the identifier;</li>
 * <li>the distribution map: every site on the offline base map, coloured by the species' detection rate,
 *     the rates and the naive occupancy per season as the API gives them, for another period when chosen.</li>
 * </ul>
 * On every page: no image but the individual's reference crops from the identifier (so never a frame, never
 * a person), nothing fetched from anywhere but the aggregator (no map tiles from the internet). Screenshots
 * are kept in {@code target/dashboard.png}, {@code target/individual.png} and {@code target/map.png}.
 */
@ExtendWith(TestStackExtension.class)
class DashboardBrowserIT {

    /** Where the profile pages say the identifier is: nothing answers there in this test, the crops stay addresses. */
    static final String IDENTIFIER = "http://127.0.0.1:9";

    /** What a page shows that could be a picture, and what it fetched. */
    static final String PICTURES = "(() => ({"
            + " images: [...document.images].map(i => i.getAttribute('src')),"
            + " others: document.querySelectorAll('picture, video, object, embed, iframe, image').length,"
            + " backgrounds: [...document.querySelectorAll('*')].filter(e => getComputedStyle(e).backgroundImage !== 'none').length,"
            + " blobs: document.documentElement.outerHTML.includes('sha256/'),"
            + " fetched: performance.getEntriesByType('resource').map(r => r.name) }))()";

    @Test
    void theDashboardItsProfilesAndTheMap(TestStack stack, @TempDir Path dir) throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        Path projectRoot = target.getParent().getParent();
        Optional<Path> chromium = Chromium.locateOrInstall(projectRoot, target.resolve("chromium-install.log"));
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium here and bin/install-chromium.sh could not install it "
                + "(it needs root or sudo for apt-get, or apt-get download and dpkg-deb): see target/chromium-install.log");

        String run = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> sites = Season.sitesOnEveryPartition(run, 4, 6);
        Path catalog = AggregatorServiceIT.catalog(dir, sites);
        SyntheticSeason season = new SyntheticSeason(5, run, sites, 2, 3, Instant.parse("2026-03-01T00:00:00Z"));
        List<Sighting> first = new ArrayList<>(season.next(60));
        first.addAll(coarseAndRare(run, sites));
        // the individual the profile shows: the one seen most often in the first sightings
        String chosen = first.stream().filter(s -> s.getIndividualId() != null)
                .collect(Collectors.groupingBy(Sighting::getIndividualId, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow().getKey();
        String species = first.stream().filter(s -> chosen.equals(s.getIndividualId())).findFirst().orElseThrow().getSpeciesLabel();
        List<String> references = first.stream().filter(s -> chosen.equals(s.getIndividualId())).limit(2)
                .map(Sighting::getSightingId).toList();
        // 60 then 40 sightings, a few minutes apart: the early season holds the first two hours
        TraplineConfig config = AggregatorServiceIT.config(stack, dir.resolve("aggregator"), run, catalog)
                .with(AggregatorServiceIT.seasons(Instant.parse("2026-03-01T02:00:00Z")))
                // and, first, a season over every capture time, as `./trapline run` configures for its demography
                .with(Map.of("aggregator.seasons", "all-time,early,late",
                        "aggregator.season.all-time.period", "1970-01-01T00:00:00Z/2100-01-01T00:00:00Z"))
                .with(Map.of("aggregator.dashboard.refresh.ms", "300", "aggregator.identifier.url", IDENTIFIER,
                        "aggregator.age." + species.replace(' ', '-') + ".juvenile.months", "12",
                        "aggregator.age." + species.replace(' ', '-') + ".subadult.months", "12"));

        try (AggregatorService aggregator = AggregatorService.start(config);
             Chromium browser = Chromium.start(chromium.get(), dir.resolve("chromium-profile"), target.resolve("chromium.log"))) {
            Season.send(config, first, described(season.gallery(Instant.parse("2026-04-01T00:00:00Z")), chosen, references));
            String origin = "http://127.0.0.1:" + aggregator.port();

            List<Sighting> more = sitesPage(browser, aggregator, config, season, first, chosen, references, target);
            List<Sighting> all = new ArrayList<>(first);
            all.addAll(more);
            profilePage(browser, origin, chosen, references, all, target);
            mapPage(browser, origin, species, sites, all.size(), target);
        }
    }

    /** Labels coarser than a species: the detector's, for an animal no classifier named, and the classifier's class. */
    static final Set<String> COARSE = Set.of("animal", "bird");

    /**
     * Sightings beside the synthetic season's five species: the detector's "animal" (no scientific name) 45 times
     * and the classifier's "bird" (Aves) 40 times, more often than any species, each 40 minutes after the one
     * before at its camera (more than the 30 minutes of one independent event: each is an event of its own); and a
     * honey badger, once at each of two sites, whose rates (one event in equal trap-nights) are equal.
     */
    static List<Sighting> coarseAndRare(String run, List<String> sites) {
        List<Sighting> extra = new ArrayList<>();
        Instant day = Instant.parse("2026-03-02T00:00:00Z");
        for (int i = 0; i < 45 + 40; i++) {
            boolean animal = i < 45;
            extra.add(extra(run + "-coarse" + i, sites.get(i % sites.size()), (i / sites.size()) % 2,
                    day.plus(Duration.ofMinutes(40L * i)), animal ? "animal" : "bird", animal ? null : "Aves",
                    animal ? MatchDecision.UNIDENTIFIED : MatchDecision.UNMARKED));
        }
        for (int i = 0; i < 2; i++) {
            extra.add(extra(run + "-badger" + i, sites.get(i), 0, Instant.parse("2026-03-04T00:00:00Z"), "honey badger",
                    "Mellivora capensis", MatchDecision.UNMARKED));
        }
        return extra;
    }

    /** A sighting the identifier left unidentified, or of a species it does not tell apart (unmarked). */
    private static Sighting extra(String id, String site, int camera, Instant time, String label, String scientificName,
                                  MatchDecision decision) {
        String cameraId = SyntheticSeason.camera(site, camera);
        return Sighting.newBuilder().setSightingId(id).setSiteId(site).setCameraId(cameraId).setDeploymentId(cameraId + "-2026")
                .setTime(time).setSpeciesLabel(label).setScientificName(scientificName).setIndividualId(null)
                .setDecision(decision).setMatchScore(null).setEventId(cameraId + "-" + id)
                .setDetection(new DetectionRef("frame-" + id, 0, DetectionCategory.ANIMAL, 0.8f,
                        new BoundingBox(0.2f, 0.2f, 0.3f, 0.3f), new BlobRef("fs", "sha256/cd/cd" + id, 150_000L)))
                .build();
    }

    /** The chosen individual as biologists have described it: a name, a life history, two reference crops. */
    private static List<IndividualUpdate> described(List<IndividualUpdate> gallery, String chosen, List<String> references) {
        return gallery.stream().map(u -> !u.getIndividualId().equals(chosen) ? u : IndividualUpdate.newBuilder(u)
                .setName("Mosadi")
                .setLifeHistory(LifeHistory.newBuilder().setSex(Sex.FEMALE).setAgeClass(AgeClass.JUVENILE)
                        .setAgeAssessedOn(LocalDate.parse("2025-03-01")).setMarks("notch in the left ear").build())
                .setReferences(references.stream().map(id -> new ReferenceCrop(id, "frame-" + id,
                        new BlobRef("fs", "sha256/ab/ab" + id, 1000L), new BoundingBox(0.1f, 0.1f, 0.3f, 0.3f), "embedding",
                        List.of())).toList())
                .build()).toList();
    }

    /** The sites page, live; returns the sightings it sent while the page was open. */
    private static List<Sighting> sitesPage(Chromium browser, AggregatorService aggregator, TraplineConfig config,
                                            SyntheticSeason season, List<Sighting> first, String chosen,
                                            List<String> references, Path target) throws Exception {
        Map<String, Long> counts = first.stream().collect(Collectors.groupingBy(Sighting::getSiteId, Collectors.counting()));
        String site = season.sites().get(0);
        Http.await(aggregator.port(), "/api/sites/" + site, a -> a.status() == 200
                && a.json().get("sightings").asLong() == counts.get(site), Duration.ofSeconds(120), "counts for " + site);

        Chromium.Page page = browser.open("http://127.0.0.1:" + aggregator.port() + "/");
        page.viewport(1280, 1700);
        String sightingsCell = "document.querySelector('tr[data-site=\"" + site + "\"] td.sightings')?.textContent";
        page.await(sightingsCell, v -> v.asText().equals(String.valueOf(counts.get(site))), Duration.ofSeconds(60),
                counts.get(site) + " sightings at " + site);
        page.await("document.getElementById('status').dataset.state", v -> v.asText().equals("live"), Duration.ofSeconds(30),
                "the live event stream connected");
        // the broker is shared: other tests' sites may be listed (and selected) first
        page.evaluate("document.querySelector('tr[data-site=\"" + site + "\"]').click()");
        page.await("document.getElementById('site-name').textContent", v -> v.asText().startsWith("Site " + site + " "),
                Duration.ofSeconds(30), "site " + site + " selected");

        // more sightings arrive: the page follows, without a reload
        List<Sighting> more = season.next(40);
        Season.send(config, more, described(season.gallery(Instant.parse("2026-04-02T00:00:00Z")), chosen, references));
        long total = counts.get(site) + more.stream().filter(s -> s.getSiteId().equals(site)).count();
        Http.await(aggregator.port(), "/api/sites/" + site, a -> a.status() == 200 && a.json().get("sightings").asLong() == total,
                Duration.ofSeconds(120), total + " sightings for " + site);
        page.await(sightingsCell, v -> v.asText().equals(String.valueOf(total)), Duration.ofSeconds(60),
                "the new total of " + total + " sightings, live");
        assertEquals(1, page.evaluate("performance.getEntriesByType('navigation').length").asInt(), "never reloaded");

        JsonNode expected = Http.get(aggregator.port(), "/api/sites/" + site).json();
        JsonNode activity = Http.get(aggregator.port(), "/api/sites/" + site + "/activity").json();
        long activitySum = 0;
        for (JsonNode hour : activity.get("sightings")) {
            activitySum += hour.asLong();
        }
        assertEquals(total, activitySum);
        long shownActivity = activitySum;
        page.await("window.traplineChart && window.traplineChart.data.datasets[0].data.reduce((a, b) => a + b, 0)",
                v -> v.asLong() == shownActivity, Duration.ofSeconds(30), "the activity chart of " + total + " sightings");
        page.await("(() => { const c = document.getElementById('activity'); const d = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++;"
                + " return n; })()", v -> v.asInt() > 2000, Duration.ofSeconds(30), "the activity chart drawn");
        long individuals = expected.get("distinctIndividuals").asLong();
        page.await("document.getElementById('individual-count').textContent",
                v -> v.asText().equals("(" + individuals + ")"), Duration.ofSeconds(30), "the distinct individuals");
        assertEquals(individuals, page.evaluate("document.querySelectorAll('#individuals a[href^=\"/individual.html?id=\"]').length")
                .asLong(), "each individual links to its profile");
        page.await("document.querySelectorAll('#recent tbody tr').length", v -> v.asInt() == 15, Duration.ofSeconds(30),
                "the 15 most recent sightings");
        speciesTables(page, aggregator.port(), site);
        // the demography of the chosen individual's site (chosen on the page) in each season, the latest first as the
        // page opens, and the return rate from the early season to the late one, as the API has them; in the early
        // season the chosen female is known alive there, so her species has a sex ratio
        Sighting ofChosen = first.stream().filter(s -> chosen.equals(s.getIndividualId())).findFirst().orElseThrow();
        String chosenSite = ofChosen.getSiteId();
        page.evaluate("document.querySelector('tr[data-site=\"" + chosenSite + "\"]').click()");
        page.await("document.getElementById('site-name').textContent", v -> v.asText().startsWith("Site " + chosenSite + " "),
                Duration.ofSeconds(30), "site " + chosenSite + " selected");
        for (String seasonName : List.of("late", "early")) {
            page.evaluate("(() => { const s = document.getElementById('demography-season'); s.value = '" + seasonName + "';"
                    + " s.dispatchEvent(new Event('change')); return true; })()");
            JsonNode demography = Http.get(aggregator.port(), "/api/sites/" + chosenSite + "/demography?season=" + seasonName).json();
            for (JsonNode sp : demography.get("species")) {
                String row = "#demography tr[data-species=\"" + sp.get("species").asText() + "\"] td";
                JsonNode ratio = sp.get("sexRatio");
                String expectedRatio = ratio.get("estimate").isNull() ? "–" : String.format(java.util.Locale.ROOT, "%.2f (%.2f–%.2f)",
                        ratio.get("estimate").asDouble(), ratio.get("lower95").asDouble(), ratio.get("upper95").asDouble());
                String shown = sp.get("knownAlive").asText() + " | " + expectedRatio;
                if (seasonName.equals("early") && sp.get("species").asText().equals(ofChosen.getSpeciesLabel())) {
                    assertTrue(ratio.get("count").asLong() >= 1 && !expectedRatio.equals("–"), "the chosen female: " + sp);
                }
                page.await("(() => { const a = document.querySelector('" + row + ".alive'); const r = document.querySelector('"
                                + row + ".sex-ratio'); return a && r ? a.textContent + ' | ' + r.textContent : null; })()",
                        v -> v.asText().equals(shown), Duration.ofSeconds(30),
                        seasonName + ", " + sp.get("species").asText() + ": " + shown);
            }
            assertEquals(demography.get("species").size(), page.evaluate("document.querySelectorAll('#demography tbody tr').length")
                    .asInt(), "a row of demography per species in the " + seasonName + " season");
            if (seasonName.equals("late")) {
                JsonNode returned = Http.get(aggregator.port(), "/api/sites/" + chosenSite + "/return-rate?from=early&to=late").json();
                List<String> shownSpecies = demography.get("species").findValuesAsText("species");
                for (JsonNode sp : returned.get("species")) {
                    if (shownSpecies.contains(sp.get("species").asText())) {
                        JsonNode rate = sp.get("returnRate");
                        String cell = page.evaluate("document.querySelector('#demography tr[data-species=\""
                                + sp.get("species").asText() + "\"] td.returned').textContent").asText();
                        assertTrue(cell.startsWith(rate.get("count").asText() + " of " + rate.get("of").asText() + ": "), cell);
                    }
                }
            }
        }
        assertNoPictureBut(page, Set.of(), "the sites page");
        Files.write(target.resolve("dashboard.png"), page.screenshot());
        return more;
    }

    /** The chosen individual's profile, as the API gives it; and an unknown one. */
    /**
     * The site's species in two tables: the marked ones (the season's, told apart) with their distinct individuals,
     * the unmarked (the birds, the badger) with their events, MaxN animals and occupancy as the survey API fits it.
     */
    private static void speciesTables(Chromium.Page page, int port, String site) throws Exception {
        JsonNode species = Http.get(port, "/api/sites/" + site + "/species").json();
        boolean sawMarked = false;
        boolean sawUnmarked = false;
        for (JsonNode sp : species) {
            String name = sp.get("species").asText();
            boolean unmarked = sp.get("unmarked").asBoolean();
            sawMarked |= !unmarked;
            sawUnmarked |= unmarked;
            String row = "#" + (unmarked ? "unmarked" : "marked") + "-species tr[data-species=\"" + name + "\"] td.";
            page.await("document.querySelector('" + row + "events')?.textContent",
                    v -> v.asText().equals(String.format(java.util.Locale.ENGLISH, "%,d", sp.get("independentEvents").asLong())),
                    Duration.ofSeconds(30), name + "'s events in the " + (unmarked ? "unmarked" : "marked") + " table");
            if (unmarked) {
                assertEquals(String.format(java.util.Locale.ENGLISH, "%,d", sp.get("animals").asLong()),
                        page.evaluate("document.querySelector('" + row + "animals').textContent").asText(), name + "'s MaxN animals");
                JsonNode occupancy = Http.get(port, "/api/sites/" + site + "/survey?species=" + name.replace(" ", "%20")
                        + "&occasion=P7D").json().get("occupancy");
                String psi = page.evaluate("document.querySelector('" + row + "psi').textContent").asText();
                assertTrue(occupancy.get("psi").isNull() ? psi.startsWith("– (")
                        : psi.startsWith(String.format(java.util.Locale.ENGLISH, "%.3f", occupancy.get("psi").get("estimate").asDouble())),
                        name + "'s psi as the survey has it, " + occupancy + ": " + psi);
            } else {
                assertEquals(String.valueOf(sp.get("distinctIndividuals").asLong()),
                        page.evaluate("document.querySelector('" + row + "individuals').textContent").asText(), name + "'s individuals");
            }
        }
        assertTrue(sawMarked && sawUnmarked, "both kinds at " + site + ": " + species);
        assertEquals(species.size(), page.evaluate("document.querySelectorAll('#marked-species tbody tr, #unmarked-species tbody tr')"
                + ".length").asInt(), "a row per species");
    }

    private static void profilePage(Chromium browser, String origin, String chosen, List<String> references,
                                    List<Sighting> sent, Path target) throws Exception {
        long sightings = sent.stream().filter(s -> chosen.equals(s.getIndividualId())).count();
        int port = Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
        JsonNode profile = Http.await(port, "/api/individuals/" + chosen, a -> a.status() == 200
                        && a.json().get("encounters").get("sightings").asLong() == sightings
                        && "Mosadi".equals(a.json().path("name").asText()),
                Duration.ofSeconds(60), chosen + " named, with its " + sightings + " sightings").json();

        Chromium.Page page = browser.open(origin + "/individual.html?id=" + chosen);
        page.viewport(1280, 1500);
        page.await("document.body.dataset.state", v -> v.asText().equals("shown"), Duration.ofSeconds(30), "the profile");
        assertEquals("Mosadi", page.evaluate("document.getElementById('name').textContent").asText());
        assertEquals(String.valueOf(sightings), fact(page, "sightings"));
        assertEquals(profile.get("encounters").get("independentEvents").asText(), fact(page, "events"));
        assertEquals("female", fact(page, "sex"));
        assertEquals(profile.get("ageClassToday").asText().toLowerCase() + " (" + profile.get("today").asText() + ")",
                fact(page, "age-today"), "the age class today, as the rule moves it on");
        assertEquals("juvenile (assessed 2025-03-01)", fact(page, "age-assessed"));
        assertEquals("notch in the left ear", fact(page, "marks"));
        assertEquals(profile.get("sites").size(), page.evaluate("document.querySelectorAll('#sites tbody tr').length").asInt());
        assertEquals(3, page.evaluate("document.querySelectorAll('#seasons tbody tr').length").asInt(), "all-time, early and late");
        assertEquals("seen", page.evaluate("document.querySelector('#seasons tr[data-season=\"early\"] td:last-child').textContent")
                .asText(), "seen in the first sightings, all in the early season");
        page.await("document.querySelectorAll('#sites-map .site-marker').length", v -> v.asInt() == profile.get("sites").size(),
                Duration.ofSeconds(30), "each site it was seen at on the map");
        assertBaseMapDrawn(page, "#sites-map");
        assertSitesInWholeCountries(page, "#sites-map");
        Set<String> crops = references.stream().map(id -> IDENTIFIER + "/api/sightings/" + id + "/crop.jpg")
                .collect(Collectors.toSet());
        assertEquals(crops, Set.copyOf(Chromium.strings(page.evaluate("[...document.querySelectorAll('#crops img')]"
                + ".map(i => i.getAttribute('src'))"))), "its two reference crops, from the identifier");
        assertNoPictureBut(page, crops, "the profile page");
        Files.write(target.resolve("individual.png"), page.screenshot());

        Chromium.Page unknown = browser.open(origin + "/individual.html?id=nobody-" + chosen);
        unknown.await("document.body.dataset.state", v -> v.asText().equals("missing"), Duration.ofSeconds(30), "a missing individual");
        assertEquals("No individual nobody-" + chosen + " is known here.",
                unknown.evaluate("document.getElementById('missing').textContent").asText());
    }

    /**
     * The distribution map: as it first opens, on the species seen most among those named to species, in all time
     * (the configured all-time season not listed again), its sites whole in their countries; then a species in the
     * late season and in all time; a species whose two sites have one rate; the legend's classes on rates of the
     * test's own.
     */
    private static void mapPage(Chromium browser, String origin, String species, List<String> sites, long sent, Path target)
            throws Exception {
        int port = Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
        // every sighting counted at every site, so that the page and the API read the same counts
        JsonNode counted = Http.await(port, "/api/sites", a -> {
            if (a.status() != 200) {
                return false;
            }
            long sightings = 0;
            for (JsonNode site : a.json()) {
                // the broker is shared: other tests' sites are counted too, and are not this test's to add up
                if (sites.contains(site.get("siteId").asText())) {
                    sightings += site.get("sightings").asLong();
                }
            }
            return sightings == sent;
        }, Duration.ofSeconds(120), "all " + sent + " sightings counted").json();
        Chromium.Page first = browser.open(origin + "/map.html");
        first.viewport(1280, 1000);
        // the species seen most over every site counted, other tests' included (asked again should theirs still be arriving)
        JsonNode shown = first.await("document.body.dataset.shown", v -> v.asText().equals(mostDetectedSpecies(
                        Http.get(port, "/api/sites").json()) + "|"), Duration.ofSeconds(30),
                "the map of the species seen most (" + mostDetectedSpecies(counted) + " when all was counted), in all time, as the page opens");
        String preferred = shown.asText().substring(0, shown.asText().length() - 1);
        assertFalse(COARSE.contains(first.evaluate("document.getElementById('species').value").asText()), "a coarse label first");
        List<String> periods = Chromium.strings(first.evaluate("[...document.getElementById('season').options].map(o => o.text)"));
        assertEquals(List.of("all time", "early", "late"), periods, "each period once: the all-time season is all time");
        JsonNode api = Http.get(port, "/api/distribution?species=" + preferred.replace(" ", "%20")).json();
        checkMap(first, api, sites);
        checkLegend(first, api);
        assertBaseMapDrawn(first, "#map");
        assertSitesInWholeCountries(first, "#map");
        // the catalog's sites lie on either side of the border of South Africa and Mozambique, in the Kruger park
        for (String country : List.of("ZAF", "MOZ")) {
            assertTrue(first.evaluate(WHOLE_ON_MAP.formatted("#map") + "(document.querySelector('#map path[data-country=\"" + country
                    + "\"]'))").asBoolean(), country + " whole on the map as it opens");
        }
        assertTrue(first.evaluate("document.getElementById('unplaced').hidden").asBoolean(), "every site has coordinates");
        assertNoPictureBut(first, Set.of(), "the map page");
        Files.write(target.resolve("map.png"), first.screenshot());
        // zoomed in far past where the sites fit, the country they are in is still drawn: it fills the map
        first.evaluate("window.traplineMap.map().setView([" + AggregatorServiceIT.latitude(sites, sites.get(0)) + ", 31.6], 12,"
                + " { animate: false }) && true");
        first.await("(() => { const m = document.getElementById('map').getBoundingClientRect();"
                + " const r = document.querySelector('#map path[data-country=\"ZAF\"]').getBoundingClientRect();"
                + " return r.left <= m.left && r.right >= m.right && r.top <= m.top && r.bottom >= m.bottom; })()",
                JsonNode::asBoolean, Duration.ofSeconds(30), "South Africa under the first site at zoom 12");

        Chromium.Page page = browser.open(origin + "/map.html?species=" + species.replace(" ", "%20") + "&season=late");
        page.viewport(1280, 1000);
        page.await("document.body.dataset.shown", v -> v.asText().equals(species + "|late"), Duration.ofSeconds(30),
                "the map of " + species + " in the late season");
        JsonNode late = Http.get(port, "/api/distribution?species=" + species.replace(" ", "%20") + "&season=late").json();
        checkMap(page, late, sites);
        checkLegend(page, late);
        assertBaseMapDrawn(page, "#map");
        assertNoPictureBut(page, Set.of(), "the map page");

        choose(page, "season", "");
        page.await("document.body.dataset.shown", v -> v.asText().equals(species + "|"), Duration.ofSeconds(30), "all time");
        JsonNode allTime = Http.get(port, "/api/distribution?species=" + species.replace(" ", "%20")).json();
        checkMap(page, allTime, sites);
        checkLegend(page, allTime);

        // two sites, one event each in the same trap-nights: one rate, one class
        choose(page, "species", "honey badger");
        page.await("document.body.dataset.shown", v -> v.asText().equals("honey badger|"), Duration.ofSeconds(30), "honey badgers");
        JsonNode badgers = Http.get(port, "/api/distribution?species=honey%20badger").json();
        checkMap(page, badgers, sites);
        checkLegend(page, badgers);
        assertEquals(1, page.evaluate("document.querySelectorAll('#legend .rate-class').length").asInt(), "one rate, one class");

        // the classes of rates as few detections make them: small, alike, or close together
        JsonNode classes = page.evaluate("[[0.3, 0.3, 0.3], [0.31, 0.33, 0.62], [1/3, 2/3, 1, 4/3, 5/3], [12.5, 12.51], []]"
                + ".map(rates => window.traplineMap.rateClasses(rates).map(c => c.label.replace(' per 100 trap-nights', '')))");
        assertEquals(List.of("0.30"), Chromium.strings(classes.get(0)), "equal rates: one class that reads the rate");
        assertEquals(List.of("0.31", "0.33", "0.62"), Chromium.strings(classes.get(1)), "three rates, three classes");
        assertEquals(List.of("0.33", "0.67", "1.00", "1.33–1.67"), Chromium.strings(classes.get(2)), "five rates in four classes");
        assertEquals(List.of("12.50", "12.51"), Chromium.strings(classes.get(3)), "digits enough to tell close rates apart");
        assertEquals(List.of(), Chromium.strings(classes.get(4)), "no rate, no class");
    }

    /** Chooses an option of a select on the page as a reader would, and tells the page it changed. */
    private static void choose(Chromium.Page page, String select, String value) throws Exception {
        page.evaluate("(() => { const s = document.getElementById('" + select + "'); s.value = '" + value + "';"
                + " s.dispatchEvent(new Event('change')); return true; })()");
    }

    /**
     * The species with the most independent events over the sites (then the most sightings, then the first by
     * label) among those named to species, which here are all but the coarse labels; and those were seen more, so
     * that a page opening on the most detected of all would open on one.
     */
    private static String mostDetectedSpecies(JsonNode sites) {
        Map<String, long[]> bySpecies = new java.util.TreeMap<>();
        for (JsonNode site : sites) {
            for (JsonNode sp : site.get("species")) {
                long[] counts = bySpecies.computeIfAbsent(sp.get("species").asText(), k -> new long[2]);
                counts[0] += sp.get("independentEvents").asLong();
                counts[1] += sp.get("sightings").asLong();
            }
        }
        Comparator<Map.Entry<String, long[]>> mostDetected = Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                .thenComparingLong(e -> -e.getValue()[1]).thenComparing(Map.Entry::getKey);
        Map.Entry<String, long[]> best = bySpecies.entrySet().stream().filter(e -> !COARSE.contains(e.getKey()))
                .min(mostDetected).orElseThrow();
        for (String coarse : COARSE) {
            assertTrue(bySpecies.get(coarse)[0] > best.getValue()[0], coarse + " seen more than " + best.getKey());
        }
        return best.getKey();
    }

    /** The markers' rates and the occupancy table are the API's, every site placed, each period once. */
    private static void checkMap(Chromium.Page page, JsonNode api, List<String> sites) throws Exception {
        assertEquals(sites.size(), api.get("sites").size());
        assertEquals(sites.size(), page.evaluate("document.querySelectorAll('#map .site-marker').length").asInt(),
                "every site on the map");
        boolean detectedSomewhere = false;
        for (JsonNode site : api.get("sites")) {
            String id = site.get("siteId").asText();
            String shown = page.evaluate("document.querySelector('#map .site-marker[data-site=\"" + id + "\"]').dataset.rate").asText();
            assertEquals(site.get("eventsPer100TrapNights").asDouble(), Double.parseDouble(shown), 1e-9, "rate at " + id);
            detectedSomewhere |= site.get("detected").asBoolean();
        }
        assertTrue(detectedSomewhere, "the species was detected somewhere: " + api);
        assertEquals(4, api.get("occupancy").size(), "all time, all-time, early, late");
        List<String> rows = new ArrayList<>();
        for (JsonNode o : api.get("occupancy")) {
            if (o.get("window").asText().equals("season/all-time")) {
                continue;  // the season over every capture time: the page's all time
            }
            String row = "#occupancy tr[data-window=\"" + o.get("window").asText() + "\"] td";
            assertEquals(o.get("naiveOccupancy").get("count").asText(),
                    page.evaluate("document.querySelectorAll('" + row + "')[1].textContent").asText());
            assertEquals(o.get("naiveOccupancy").get("of").asText(),
                    page.evaluate("document.querySelectorAll('" + row + "')[2].textContent").asText());
            rows.add(o.get("window").asText());
        }
        assertEquals(rows, Chromium.strings(page.evaluate("[...document.querySelectorAll('#occupancy tbody tr')].map(r => r.dataset.window)")),
                "each period once, all time first");
        assertEquals(List.of("all time", "early", "late"), Chromium.strings(page.evaluate(
                "[...document.querySelectorAll('#occupancy tbody tr td:first-child')].map(c => c.textContent)")));
    }

    /**
     * The legend's rate classes follow the sites' rates: as many as the distinct rates of the sites where the species
     * was detected, up to four; each from its lowest rate to its highest, the first from the lowest of all, the last to
     * the highest, in order without overlap; labels that differ and read their bounds to the digits they show (not
     * "0.0–0.0"); and each site's marker in its rate's class's colour.
     */
    private static void checkLegend(Chromium.Page page, JsonNode api) throws Exception {
        java.util.TreeSet<Double> rates = new java.util.TreeSet<>();
        for (JsonNode site : api.get("sites")) {
            if (site.get("detected").asBoolean() && !site.get("eventsPer100TrapNights").isNull()) {
                rates.add(site.get("eventsPer100TrapNights").asDouble());
            }
        }
        JsonNode classes = page.evaluate("[...document.querySelectorAll('#legend .rate-class')].map(r =>"
                + " ({ min: Number(r.dataset.min), max: Number(r.dataset.max), colour: r.dataset.colour, label: r.textContent }))");
        assertEquals(Math.min(4, rates.size()), classes.size(), "classes for the rates " + rates + ": " + classes);
        assertEquals(rates.first(), classes.get(0).get("min").asDouble(), 1e-9, "from the lowest rate: " + classes);
        assertEquals(rates.last(), classes.get(classes.size() - 1).get("max").asDouble(), 1e-9, "to the highest rate: " + classes);
        Set<String> labels = new java.util.HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            JsonNode c = classes.get(i);
            double min = c.get("min").asDouble();
            double max = c.get("max").asDouble();
            assertTrue(min <= max && (i == 0 || classes.get(i - 1).get("max").asDouble() < min), "in order: " + classes);
            assertTrue(rates.contains(min) && rates.contains(max), "bounds that are rates: " + classes);
            String label = c.get("label").asText();
            assertTrue(labels.add(label), "two classes read " + label);
            assertTrue(label.endsWith(" per 100 trap-nights"), label);
            String[] bounds = label.substring(0, label.length() - " per 100 trap-nights".length()).replace(",", "").split("–");
            assertEquals(min == max ? 1 : 2, bounds.length, label);
            assertReads(bounds[0], min, label);
            assertReads(bounds[bounds.length - 1], max, label);
        }
        for (JsonNode site : api.get("sites")) {
            if (!site.get("detected").asBoolean() || site.get("eventsPer100TrapNights").isNull()) {
                continue;
            }
            double rate = site.get("eventsPer100TrapNights").asDouble();
            String colour = null;
            for (JsonNode c : classes) {
                if (c.get("min").asDouble() <= rate && rate <= c.get("max").asDouble()) {
                    colour = c.get("colour").asText();
                }
            }
            assertEquals(colour, page.evaluate("document.querySelector('#map .site-marker[data-site=\"" + site.get("siteId").asText()
                    + "\"]').dataset.fill").asText(), "the colour of " + site.get("siteId").asText() + "'s rate " + rate);
        }
    }

    /** A bound as the legend writes it reads the rate to its last digit: "0.30" for 0.3, never "0.0" for it. */
    private static void assertReads(String shown, double value, String label) {
        int decimals = shown.contains(".") ? shown.length() - shown.indexOf('.') - 1 : 0;
        assertEquals(value, Double.parseDouble(shown), 0.5 * Math.pow(10, -decimals) + 1e-12, label + " reads " + value);
        assertTrue(Double.parseDouble(shown) > 0, label + " reads " + value + " as nothing");
    }

    private static String fact(Chromium.Page page, String key) throws Exception {
        return page.evaluate("document.querySelector('dd[data-fact=\"" + key + "\"]').textContent").asText();
    }

    /** The offline world outline is drawn: Natural Earth's countries are many paths in the map's overlay. */
    private static void assertBaseMapDrawn(Chromium.Page page, String map) throws Exception {
        page.await("document.querySelectorAll('" + map + " .leaflet-overlay-pane path').length", v -> v.asInt() > 150,
                Duration.ofSeconds(30), "the country outlines on " + map);
    }

    /** A function of the page: whether an element is drawn and lies whole on the map (a pixel of rounding aside). */
    static final String WHOLE_ON_MAP = "(e => { const m = document.querySelector('%s').getBoundingClientRect();"
            + " const r = e && e.getBoundingClientRect(); return !!r && r.width > 20 && r.height > 20 && r.left >= m.left - 1"
            + " && r.right <= m.right + 1 && r.top >= m.top - 1 && r.bottom <= m.bottom + 1; })";

    /**
     * The map's first view shows its sites in their countries: each site's marker lies on the map and within the
     * outline of a country that is whole on the map (closer, the 1:110m outline has no border in sight).
     */
    private static void assertSitesInWholeCountries(Chromium.Page page, String map) throws Exception {
        JsonNode placed = page.await("(() => { const whole = " + WHOLE_ON_MAP.formatted(map) + ";"
                + " const countries = [...document.querySelectorAll('" + map + " path[data-country]')].filter(whole)"
                + ".map(p => p.getBoundingClientRect());"
                + " return [...document.querySelectorAll('" + map + " .site-marker')].map(s => { const r = s.getBoundingClientRect();"
                + " const x = r.left + r.width / 2, y = r.top + r.height / 2;"
                + " return countries.some(c => c.left <= x && x <= c.right && c.top <= y && y <= c.bottom); }); })()",
                v -> v.size() > 0 && Chromium.strings(v).stream().allMatch(Boolean::parseBoolean), Duration.ofSeconds(30),
                "every site of " + map + " within a country whole on the map");
        assertTrue(placed.size() > 0);
    }

    /**
     * No picture on the page but these (the reference crops the identifier serves), so no frame and no person;
     * no blob of any frame referred to; nothing fetched but from the aggregator itself (and the crops).
     */
    private static void assertNoPictureBut(Chromium.Page page, Set<String> allowed, String where) throws Exception {
        JsonNode shown = page.evaluate(PICTURES);
        for (String src : Chromium.strings(shown.get("images"))) {
            assertTrue(allowed.contains(src), where + " shows an image that is no reference crop: " + src);
        }
        assertEquals(0, shown.get("others").asInt(), where + ": no picture, video or embedded page");
        assertEquals(0, shown.get("backgrounds").asInt(), where + ": no background image");
        assertFalse(shown.get("blobs").asBoolean(), where + " refers to a frame's blob");
        String origin = page.evaluate("location.origin").asText();
        for (String url : Chromium.strings(shown.get("fetched"))) {
            assertTrue(url.startsWith(origin + "/") || url.startsWith(IDENTIFIER + "/"), where + " fetched " + url
                    + " from outside the aggregator: maps must need no internet");
        }
    }
}
