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
import org.trapline.aggregator.synthetic.SyntheticSeason;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
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
        List<Sighting> first = season.next(60);
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
            mapPage(browser, origin, species, sites, target);
        }
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
        assertEquals(2, page.evaluate("document.querySelectorAll('#seasons tbody tr').length").asInt(), "early and late");
        assertEquals("seen", page.evaluate("document.querySelector('#seasons tr[data-season=\"early\"] td:last-child').textContent")
                .asText(), "seen in the first sightings, all in the early season");
        page.await("document.querySelectorAll('#sites-map .site-marker').length", v -> v.asInt() == profile.get("sites").size(),
                Duration.ofSeconds(30), "each site it was seen at on the map");
        assertBaseMapDrawn(page, "#sites-map");
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

    /** The distribution map of a species: the late season, then all time. */
    private static void mapPage(Chromium browser, String origin, String species, List<String> sites, Path target) throws Exception {
        int port = Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
        Chromium.Page page = browser.open(origin + "/map.html?species=" + species.replace(" ", "%20") + "&season=late");
        page.viewport(1280, 1000);
        page.await("document.body.dataset.shown", v -> v.asText().equals(species + "|late"), Duration.ofSeconds(30),
                "the map of " + species + " in the late season");
        checkMap(page, Http.get(port, "/api/distribution?species=" + species.replace(" ", "%20") + "&season=late").json(), sites);
        assertBaseMapDrawn(page, "#map");
        assertNoPictureBut(page, Set.of(), "the map page");
        Files.write(target.resolve("map.png"), page.screenshot());

        page.evaluate("(() => { const s = document.getElementById('season'); s.value = ''; s.dispatchEvent(new Event('change'));"
                + " return true; })()");
        page.await("document.body.dataset.shown", v -> v.asText().equals(species + "|"), Duration.ofSeconds(30), "all time");
        checkMap(page, Http.get(port, "/api/distribution?species=" + species.replace(" ", "%20")).json(), sites);
    }

    /** The markers' rates and the occupancy table are the API's, every site placed. */
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
        assertEquals(3, api.get("occupancy").size(), "all time, early, late");
        for (JsonNode o : api.get("occupancy")) {
            String row = "#occupancy tr[data-window=\"" + o.get("window").asText() + "\"] td";
            assertEquals(o.get("naiveOccupancy").get("count").asText(),
                    page.evaluate("document.querySelectorAll('" + row + "')[1].textContent").asText());
            assertEquals(o.get("naiveOccupancy").get("of").asText(),
                    page.evaluate("document.querySelectorAll('" + row + "')[2].textContent").asText());
        }
    }

    private static String fact(Chromium.Page page, String key) throws Exception {
        return page.evaluate("document.querySelector('dd[data-fact=\"" + key + "\"]').textContent").asText();
    }

    /** The offline world outline is drawn: Natural Earth's countries are many paths in the map's overlay. */
    private static void assertBaseMapDrawn(Chromium.Page page, String map) throws Exception {
        page.await("document.querySelectorAll('" + map + " .leaflet-overlay-pane path').length", v -> v.asInt() > 150,
                Duration.ofSeconds(30), "the country outlines on " + map);
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
