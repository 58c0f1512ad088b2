package org.trapline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.deploy.identify.IdentifyPhotos;
import picocli.CommandLine;

/**
 * {@code trapline identify}: photos make it a question to a running identifier, no photo runs the service;
 * the options become the request's parameters; the answer prints as a ranked table; refusals and an identifier
 * that cannot be reached set the exit status.
 */
class IdentifyCommandTest {

    static Trapline.Identify parse(String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new Trapline()).parseArgs(args);
        return (Trapline.Identify) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void photosAreAQuestionAndTheOptionsItsParameters() {
        Trapline.Identify identify = parse("identify", "a.jpg", "shots/b.png", "--species", "manta", "--site", "reef",
                "--top", "3", "--box", "0.1,0.2,0.5,0.4", "--url", "http://10.0.0.5:9000/");
        assertEquals(List.of(Path.of("a.jpg"), Path.of("shots/b.png")), identify.photos);
        assertEquals(URI.create("http://10.0.0.5:9000/api/identify?species=manta&site=reef&box=0.1%2C0.2%2C0.5%2C0.4&top=3"),
                identify.request().uri());
    }

    @Test
    void withoutPhotosItIsTheServiceAndTheDefaultsAskTheLocalIdentifier() {
        Trapline.Identify identify = parse("identify");
        assertTrue(identify.photos.isEmpty(), "no photo: the identifier service is started");
        assertEquals(Path.of(".trapline/local/trapline.properties"), identify.config, "the service's configuration");
        assertEquals(URI.create("http://127.0.0.1:8084/api/identify?top=5"), parse("identify", "x.jpg").request().uri());
        assertThrows(CommandLine.ParameterException.class, () -> parse("identify", "x.jpg", "--top", "many"));
    }

    @Test
    void theAnswerPrintsAsARankedTable() throws Exception {
        JsonNode answer = new ObjectMapper().readTree("""
                {"decision": "REVIEW", "individualId": null, "score": 13.0, "species": ["manta"], "published": false,
                 "candidates": [
                   {"rank": 1, "individualId": "ind-aaa", "name": "Candy", "species": "manta",
                    "scores": {"local-features": 13.0, "embedding": 0.8125}, "decision": "REVIEW",
                    "profile": {"status": "CONFIRMED", "lastSeen": "2026-05-02T09:00:00Z",
                                "lifeHistory": {"sex": "FEMALE", "ageClass": "ADULT", "status": "ALIVE", "statusDate": null}}},
                   {"rank": 2, "individualId": "ind-bbb", "name": null, "species": "manta",
                    "scores": {"local-features": 5.0}, "decision": "NEW_PROVISIONAL",
                    "profile": {"status": "PROVISIONAL", "lastSeen": null,
                                "lifeHistory": {"sex": "UNKNOWN", "ageClass": "UNKNOWN", "status": "PRESUMED_DEAD",
                                                "statusDate": "2026-06-01"}}},
                   {"rank": 2, "individualId": "ind-ccc", "name": "Jel", "species": "manta",
                    "scores": {"embedding": 0.5}, "decision": "NEW_PROVISIONAL",
                    "profile": {"status": "CONFIRMED", "lastSeen": "2026-05-03T10:00:00Z",
                                "lifeHistory": {"sex": "MALE", "ageClass": "JUVENILE", "status": "ALIVE"}}}]}
                """);
        List<String> lines = IdentifyPhotos.table("candy-test-02.png", answer).lines().toList();
        assertEquals("candy-test-02.png: REVIEW (best score 13), species searched: manta", lines.get(0));
        assertEquals(List.of("rank", "individual", "name", "local-features", "embedding", "alone", "status", "sex", "age", "life",
                "last", "seen"), List.of(lines.get(1).trim().split("\\s+")));
        assertEquals(List.of("1", "ind-aaa", "Candy", "13", "0.813", "REVIEW", "CONFIRMED", "FEMALE", "ADULT", "ALIVE",
                "2026-05-02T09:00:00Z"), List.of(lines.get(2).trim().split("\\s+")));
        assertEquals(List.of("2", "ind-bbb", "-", "5", "-", "NEW_PROVISIONAL", "PROVISIONAL", "UNKNOWN", "UNKNOWN",
                "PRESUMED_DEAD", "2026-06-01", "-"), List.of(lines.get(3).trim().split("\\s+")));
        assertEquals(List.of("2", "ind-ccc", "Jel", "-", "0.500"), List.of(lines.get(4).trim().split("\\s+")).subList(0, 5));
        assertEquals(5, lines.size());
        // the columns line up: every score starts where its header does
        int embedding = lines.get(1).indexOf("embedding");
        assertEquals("0.813", lines.get(2).substring(embedding, embedding + 5));
        assertEquals("0.500", lines.get(4).substring(embedding, embedding + 5));
    }

    @Test
    void anIdentifierThatCannotBeReachedIsExitStatusTwoAnUnreadablePhotoOne(@TempDir Path dir) throws Exception {
        Path photo = Files.write(dir.resolve("a.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9});
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        IdentifyPhotos.Request request = new IdentifyPhotos.Request(URI.create("http://127.0.0.1:" + closedPort), null, null, null, 5);
        assertEquals(2, new IdentifyPhotos().run(request, List.of(photo), new PrintWriter(out), new PrintWriter(err)));
        assertTrue(err.toString().contains("the identifier at http://127.0.0.1:" + closedPort + " cannot be reached"), err.toString());

        StringWriter missing = new StringWriter();
        assertEquals(1, new IdentifyPhotos().run(request, List.of(dir.resolve("gone.jpg")), new PrintWriter(out),
                new PrintWriter(missing)));
        assertTrue(missing.toString().contains("gone.jpg: cannot be read"), missing.toString());
        assertEquals("", out.toString(), "no table without an answer");
    }
}
