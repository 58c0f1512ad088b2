package org.trapline.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;

/**
 * The dashboard in a real headless Chromium (Debian's package), against a real aggregator: the sites'
 * counts appear, and change on the page as new sightings are counted, without a reload; the activity
 * chart, the distinct individuals and the recent sightings of the selected site are shown; the page holds
 * no image at all. A screenshot is kept in {@code target/dashboard.png}.
 */
@ExtendWith(TestStackExtension.class)
class DashboardBrowserIT {

    @Test
    void theDashboardShowsLiveCounts(TestStack stack, @TempDir Path dir) throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        Path projectRoot = target.getParent().getParent();
        Optional<Path> chromium = Chromium.locateOrInstall(projectRoot, target.resolve("chromium-install.log"));
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium here and bin/install-chromium.sh could not install it "
                + "(it needs root or sudo for apt-get, or apt-get download and dpkg-deb): see target/chromium-install.log");

        String run = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> sites = Season.sitesOnEveryPartition(run, 2, 6);
        Path catalog = AggregatorServiceIT.catalog(dir, sites);
        SyntheticSeason season = new SyntheticSeason(5, run, sites, 2, 3, Instant.parse("2026-03-01T00:00:00Z"));
        List<Sighting> first = season.next(60);
        TraplineConfig config = AggregatorServiceIT.config(stack, dir.resolve("aggregator"), run, catalog)
                .with("aggregator.dashboard.refresh.ms", "300");

        try (AggregatorService aggregator = AggregatorService.start(config);
             Chromium browser = Chromium.start(chromium.get(), dir.resolve("chromium-profile"), target.resolve("chromium.log"))) {
            Season.send(config, first, season.gallery(Instant.parse("2026-04-01T00:00:00Z")));
            Map<String, Long> counts = first.stream().collect(Collectors.groupingBy(Sighting::getSiteId, Collectors.counting()));
            String site = sites.get(0);
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
            Season.send(config, more, season.gallery(Instant.parse("2026-04-02T00:00:00Z")));
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
            page.await("document.getElementById('individual-count').textContent",
                    v -> v.asText().equals("(" + expected.get("distinctIndividuals").asLong() + ")"), Duration.ofSeconds(30),
                    "the distinct individuals");
            page.await("document.querySelectorAll('#recent tbody tr').length", v -> v.asInt() == 15, Duration.ofSeconds(30),
                    "the 15 most recent sightings");
            assertEquals(0, page.evaluate("document.images.length + document.querySelectorAll('img, picture, video, "
                    + "[style*=\"background-image\"]').length").asInt(), "no image of any kind on the page");
            assertTrue(!page.evaluate("document.documentElement.outerHTML").asText().contains("sha256/"),
                    "no blob of any frame is referred to");

            Files.write(target.resolve("dashboard.png"), page.screenshot());
        }
    }
}
