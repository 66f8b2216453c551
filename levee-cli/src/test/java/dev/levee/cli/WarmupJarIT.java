package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code levee serve} runs its request path on itself before it listens, and leaves nothing of it
 * behind: the gateway that then serves has answered no request, logged none, counted none, and the
 * scratch directory is gone.
 */
class WarmupJarIT {
    @Test
    void theWarmUpRunsBeforeListeningAndLeavesNoTrace(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path data = dir.resolve("data");
        ServeProcess levee = ServeProcess.start(dir, List.of("-Djava.io.tmpdir=" + tmp), "--data-dir", data.toString(),
                "--warm-up", "300");
        try {
            assertThat(levee.warmedUpOn).isGreaterThanOrEqualTo(23);
            URI base = levee.base;
            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).doesNotContain("levee_requests_total{"); // no request counted yet
            String recent = http.send(HttpRequest.newBuilder(base.resolve("/levee/requests")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(recent).doesNotContain("request_id");
            assertThat(levee.err()).doesNotContain("WARN", "ERROR", "Request processed");
            try (var left = Files.list(tmp)) {
                assertThat(left.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.startsWith("levee-warm-up"));
            }
        } finally {
            levee.close();
        }
        assertThat(data.resolve("levee-telemetry.jsonl")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
        List<String> log = Files.readAllLines(data.resolve("levee.log"));
        assertThat(log).noneMatch(l -> l.contains("chat request") || l.contains("Processing request"));
    }
}
