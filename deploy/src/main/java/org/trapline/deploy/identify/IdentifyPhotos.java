package org.trapline.deploy.identify;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code trapline identify PHOTO…}: asks a running identifier who is on each photo ({@code POST /api/identify})
 * and prints the ranked candidates as a table. Nothing is recorded. The exit status is 0 when every photo was
 * answered, 1 when the identifier refused some (each refusal printed with its reason), 2 when it could not be
 * reached at all.
 */
public final class IdentifyPhotos {

    /** What to ask: where the identifier is, and the optional species, site, box and how many candidates. */
    public record Request(URI identifier, String species, String site, String box, int top) {

        /** The address of {@code POST /api/identify} with this request's parameters. */
        public URI uri() {
            Map<String, String> params = new LinkedHashMap<>();
            if (species != null) {
                params.put("species", species);
            }
            if (site != null) {
                params.put("site", site);
            }
            if (box != null) {
                params.put("box", box);
            }
            params.put("top", Integer.toString(top));
            StringBuilder query = new StringBuilder();
            params.forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&").append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            String base = identifier.toString().replaceAll("/+$", "");
            return URI.create(base + "/api/identify" + query);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** Identifies each photo in turn, printing a table per photo to {@code out} and refusals to {@code err}. */
    public int run(Request request, List<Path> photos, PrintWriter out, PrintWriter err) throws InterruptedException {
        int status = 0;
        for (Path photo : photos) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(photo);
            } catch (IOException e) {
                err.printf("%s: cannot be read: %s%n", photo, e.getMessage());
                status = 1;
                continue;
            }
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(request.uri()).timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                err.printf("the identifier at %s cannot be reached (is it running? --url names another): %s%n",
                        request.identifier(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                out.flush();
                err.flush();
                return 2;
            } catch (IOException e) {
                err.printf("%s: no answer from %s: %s%n", photo, request.identifier(), e.getMessage());
                status = 1;
                continue;
            }
            if (response.statusCode() != 200) {
                err.printf("%s: refused, HTTP %d: %s%n", photo.getFileName(), response.statusCode(), reason(response.body()));
                status = 1;
                continue;
            }
            try {
                out.print(table(photo.getFileName().toString(), json.readTree(response.body())));
            } catch (IOException e) {
                err.printf("%s: the answer is not JSON: %s%n", photo, e.getMessage());
                status = 1;
            }
        }
        out.flush();
        err.flush();
        return status;
    }

    private String reason(String body) {
        try {
            JsonNode error = json.readTree(body).get("error");
            return error != null ? error.asText() : body;
        } catch (IOException e) {
            return body;
        }
    }

    /**
     * The answer for one photo as text: a heading with the decision the pipeline would take, then one row per
     * candidate, best first: rank (shared in a tie), id, name, each matcher's score, the decision that candidate
     * alone leads to, and what the gallery knows of it (status, sex, age class, alive or dead, last seen).
     */
    public static String table(String photo, JsonNode answer) {
        StringBuilder text = new StringBuilder();
        text.append(photo).append(": ").append(answer.path("decision").asText());
        if (answer.hasNonNull("individualId")) {
            text.append(' ').append(answer.get("individualId").asText());
        }
        if (answer.hasNonNull("score")) {
            text.append(String.format(Locale.ROOT, " (best score %s)", number(answer.get("score"))));
        }
        List<String> species = new ArrayList<>();
        answer.path("species").forEach(s -> species.add(s.asText()));
        text.append(", species searched: ").append(species.isEmpty() ? "none" : String.join(", ", species)).append('\n');
        JsonNode candidates = answer.path("candidates");
        if (candidates.isEmpty()) {
            return text.append("  no candidates: the gallery holds no individual to compare with\n").toString();
        }
        Set<String> matchers = new LinkedHashSet<>();
        candidates.forEach(c -> c.path("scores").fieldNames().forEachRemaining(matchers::add));
        List<String> header = new ArrayList<>(List.of("rank", "individual", "name"));
        header.addAll(matchers);
        header.addAll(List.of("alone", "status", "sex", "age", "life", "last seen"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (JsonNode candidate : candidates) {
            JsonNode profile = candidate.path("profile");
            JsonNode life = profile.path("lifeHistory");
            List<String> row = new ArrayList<>(List.of(candidate.path("rank").asText(), candidate.path("individualId").asText(),
                    candidate.hasNonNull("name") ? candidate.get("name").asText() : "-"));
            for (String matcher : matchers) {
                JsonNode score = candidate.path("scores").get(matcher);
                row.add(score == null ? "-" : number(score));
            }
            String status = life.path("status").asText("ALIVE");
            row.addAll(List.of(candidate.path("decision").asText(), profile.path("status").asText("-"),
                    life.path("sex").asText("UNKNOWN"), life.path("ageClass").asText("UNKNOWN"),
                    status.equals("ALIVE") || !life.hasNonNull("statusDate") ? status : status + " " + life.get("statusDate").asText(),
                    profile.hasNonNull("lastSeen") ? profile.get("lastSeen").asText() : "-"));
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append("  ").append(String.format("%-" + widths[i] + "s", row.get(i)));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /** Inlier counts as whole numbers, similarities to three places. */
    static String number(JsonNode value) {
        double v = value.asDouble();
        return v == Math.rint(v) && Math.abs(v) >= 1 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
