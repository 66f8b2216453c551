package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.simulator.ResponseGenerator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Thousands of concurrent streams on two cores, without a thread per request. */
class ConcurrentStreamsTest {
    private static GatewayFixture gw;

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/secondary
                resilience:
                  timeout: { first_token: 30s, stream_idle: 30s, base: 60s }
                """, 1000); // 1,000 streams saturate both cores: a blocking call would still show, noise would not
    }

    @AfterAll
    static void stop() {
        gw.close();
        assertThat(gw.blockedThreadWarnings()).isEmpty();
    }

    @Test
    void aThousandConcurrentStreamsAllCompleteCorrectly() throws Exception {
        int n = 1000;
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>(n);
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < n; i++) {
            HttpRequest request = HttpRequest.newBuilder(gw.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(GatewayFixture.chat("default", "stream " + (i % 10), true)))
                    .build();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        }
        int ok = 0;
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = pending.get(i).get();
            Sse.Parsed sse = Sse.parse(r.body());
            if (r.statusCode() == 200 && sse.done() && sse.text().equals(ResponseGenerator.answerFor("stream " + (i % 10)))) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(n);
        assertThat(gw.sim.journal().count("primary")).isEqualTo(n);
    }
}
