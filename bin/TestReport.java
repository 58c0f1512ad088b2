import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole suite's verdict, read from the JUnit XML reports that Surefire and Failsafe wrote after a given
 * moment (older reports in a reused checkout are not this run's). {@code ./trapline test} runs Maven with
 * test failures ignored, so that one module's failing test cannot stop the modules after it from being
 * tested; this then fails the run, naming every failed test of every module.
 *
 * <p>Usage: {@code java bin/TestReport.java ROOT SINCE_FILE}; exit status 1 when a test failed or erred.
 */
public final class TestReport {

    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");
    private static final Pattern CASE = Pattern.compile(
            "<testcase\\b[^>]*?name=\"([^\"]*)\"[^>]*?classname=\"([^\"]*)\"[^>]*?(?:/>|>(.*?)</testcase>)", Pattern.DOTALL);

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        FileTime since = Files.getLastModifiedTime(Path.of(args[1]));
        List<Path> reports;
        try (Stream<Path> files = Files.walk(root, 4)) {
            reports = files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml"))
                    .filter(f -> f.getParent().getFileName().toString().matches("(surefire|failsafe)-reports"))
                    .filter(f -> modifiedAfter(f, since)).sorted().toList();
        }
        long tests = 0;
        long skipped = 0;
        List<String> failed = new ArrayList<>();
        for (Path report : reports) {
            String xml = Files.readString(report);
            Matcher suite = SUITE.matcher(xml);
            if (suite.find()) {
                tests += attribute(suite.group(), "tests");
                skipped += attribute(suite.group(), "skipped");
            }
            Matcher testCase = CASE.matcher(xml);
            while (testCase.find()) {
                String body = testCase.group(3) == null ? "" : testCase.group(3);
                if (body.contains("<failure") || body.contains("<error")) {
                    String module = root.relativize(report).getName(0).toString();
                    failed.add(String.format("  %-12s %s.%s", module, testCase.group(2), testCase.group(1)));
                }
            }
        }
        System.out.printf("%nTest reports of this run: %d suites, %d tests, %d skipped, %d failed or in error.%n",
                reports.size(), tests, skipped, failed.size());
        if (reports.isEmpty()) {
            System.out.println("No test report was written: the build failed before any test ran.");
            System.exit(1);
        }
        if (!failed.isEmpty()) {
            System.out.println("Failed (every module was still tested; details in each module's target/*-reports):");
            failed.forEach(System.out::println);
            System.exit(1);
        }
    }

    private static boolean modifiedAfter(Path file, FileTime since) {
        try {
            return Files.getLastModifiedTime(file).compareTo(since) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static long attribute(String element, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"(\\d+)\"").matcher(element);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
