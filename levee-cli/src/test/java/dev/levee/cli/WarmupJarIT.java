package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code levee serve} runs its request path on itself before it listens, and leaves nothing of it
 * behind: the gateway that then serves has answered no request, logged none, counted none, and the
 * scratch directory is gone.
 */
class WarmupJarIT {
    private static final Path JAR = Path.of(System.getProperty("levee.jar", "target/levee.jar"));

    @Test
    void theWarmUpRunsBeforeListeningAndLeavesNoTrace(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path data = dir.resolve("data");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-jar", JAR.toAbsolutePath().toString(), "serve", "--port", "0",
                "--data-dir", data.toString(), "--warm-up", "300")
                .directory(dir.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("LEVEE_DATA_DIR");
        pb.environment().remove("LEVEE_MASTER_KEY");
        Process levee = pb.start();
        try {
            Matcher listening = waitFor(dir.resolve("out.txt"), levee,
                    Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) \\(ready in \\d+ ms, warmed up on ([\\d,]+) requests\\)"));
            assertThat(Integer.parseInt(listening.group(2).replace(",", ""))).isGreaterThanOrEqualTo(23);
            URI base = URI.create("http://127.0.0.1:" + listening.group(1));
            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).doesNotContain("levee_requests_total{"); // no request counted yet
            String recent = http.send(HttpRequest.newBuilder(base.resolve("/levee/requests")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(recent).doesNotContain("request_id");
            assertThat(Files.readString(dir.resolve("err.txt"))).doesNotContain("WARN", "ERROR", "Request processed");
            try (var left = Files.list(tmp)) {
                assertThat(left.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.startsWith("levee-warm-up"));
            }
        } finally {
            levee.destroy();
            levee.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(data.resolve("levee-telemetry.jsonl")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
        List<String> log = Files.readAllLines(data.resolve("levee.log"));
        assertThat(log).noneMatch(l -> l.contains("chat request") || l.contains("Processing request"));
    }

    private static Matcher waitFor(Path out, Process levee, Pattern line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = line.matcher(Files.readString(out));
            if (m.find()) {
                return m;
            }
            assertThat(levee.isAlive()).as("levee serve is running: %s", Files.readString(out.resolveSibling("err.txt")))
                    .isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("levee serve did not say it listens: " + Files.readString(out));
    }
}
