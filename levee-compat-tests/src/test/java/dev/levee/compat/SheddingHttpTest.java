package dev.levee.compat;

import static dev.levee.compat.LimitedGateways.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load shedding as an HTTP client sees it: 503 {@code overloaded} with {@code Retry-After}, batch first. */
class SheddingHttpTest {
    @TempDir
    static Path dataDir;
    private static LimitedGateways gateway;

    @BeforeAll
    static void start() {
        gateway = new LimitedGateways(dataDir, 1, "", """
                resilience:
                  bulkhead: { max_concurrent: 2, standard_share: 1.0, batch_share: 0.5 }
                """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> slow(String key) throws Exception {
        return gateway.send(0, "POST", "/v1/chat/completions", "{\"model\":\"slow\",\"max_tokens\":2,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
    }

    @Test
    void aFullTargetShedsBatchRequestsWithRetryAfterAndStillServesStandardOnes() throws Exception {
        String batch = gateway.createKey("\"priority\":\"batch\"").get("key").asText();
        String standard = gateway.createKey("\"priority\":\"standard\"").get("key").asText();
        assertThat(JSON.readTree(gateway.send(0, "GET", "/health/ready", null, standard).body()).get("mode").asText())
                .isEqualTo("normal");
        try (Socket stream = LimitsAcrossInstancesTest.startStream(gateway.port(0), standard)) {
            HttpResponse<String> shed = slow(batch);
            assertThat(shed.statusCode()).as(shed.body()).isEqualTo(503);
            assertThat(JSON.readTree(shed.body()).at("/error/code").asText()).isEqualTo("overloaded");
            assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
            assertThat(slow(standard).statusCode()).isEqualTo(200);
        }
    }
}
