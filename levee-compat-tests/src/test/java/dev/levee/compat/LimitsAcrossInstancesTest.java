package dev.levee.compat;

import static dev.levee.compat.LimitedGateways.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways share the Redis at 127.0.0.1:6379: a key's limits hold for the deployment, not per
 * instance — requests per minute exactly, a budget under 50 concurrent requests, and requests in
 * flight released when their clients walk away mid-stream.
 */
class LimitsAcrossInstancesTest {
    private static final int REDIS = 6379;
    @TempDir
    static Path dataDir;
    private static LimitedGateways gateways;

    @BeforeAll
    static void start() {
        // A generous timeout: these tests are about what is counted, not about Redis being slow.
        gateways = new LimitedGateways(dataDir, 2, "redis: redis://127.0.0.1:" + REDIS + "\ntimeout: 2s");
    }

    @AfterAll
    static void stop() {
        gateways.close();
    }

    @Test
    void sixtyRequestsPerMinuteAreSixtyAcrossBothInstances() throws Exception {
        String key = gateways.createKey("\"rpm\":60").get("key").asText();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int instance = i % 2;
                sent.add(pool.submit(() -> gateways.chat(instance, key, 5)));
            }
            int ok = 0;
            int limited = 0;
            for (Future<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get();
                assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue("60");
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                    assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
                    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
                    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
                    limited++;
                }
            }
            assertThat(ok).as("admitted across both instances").isEqualTo(60);
            assertThat(limited).isEqualTo(140);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBudgetHoldsUnderFiftyConcurrentRequestsSpreadOverBothInstances() throws Exception {
        // gemma3:4b at $20 / $40 per million tokens, max_tokens 50: about $0.0022 reserved per request.
        JsonNode created = gateways.createKey("\"budget_usd\":\"0.01\",\"budget_period\":\"day\"");
        String key = created.get("key").asText();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        BigDecimal spent = BigDecimal.ZERO;
        String reset = null;
        BigDecimal oneReservation = new BigDecimal("0.0022");
        int ok = 0;
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int instance = i % 2;
                sent.add(pool.submit(() -> gateways.chat(instance, key, 50)));
            }
            for (Future<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    ok++;
                    JsonNode usage = JSON.readTree(r.body()).get("usage");
                    spent = spent.add(BigDecimal.valueOf(usage.get("prompt_tokens").asLong() * 20L
                            + usage.get("completion_tokens").asLong() * 40L, 6));
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(402);
                    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("budget_exceeded");
                    reset = r.headers().firstValue("x-levee-budget-reset").orElseThrow();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok).isPositive();
        // The next UTC midnight, read from the answer rather than this machine's clock.
        java.time.Instant resetsAt = java.time.Instant.parse(reset);
        assertThat(resetsAt.atZone(ZoneOffset.UTC).toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
        assertThat(java.time.Duration.between(java.time.Instant.now(), resetsAt)).isBetween(
                java.time.Duration.ofSeconds(-60), java.time.Duration.ofDays(1));
        LocalDate day = resetsAt.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
        assertThat(spent).as("spent by %d admitted requests", ok)
                .isLessThanOrEqualTo(new BigDecimal("0.01").add(oneReservation));
        // What Redis says was spent is what the answers cost, in nano-dollars.
        String hash = gateways.prefix + ":{key:" + created.get("id").asText() + "}:key:" + created.get("id").asText()
                + ":budget:day:" + day + ":h";
        BigDecimal recorded = BigDecimal.valueOf(Long.parseLong(LimitedGateways.redisHashField(REDIS, hash, "_spent")), 9);
        assertThat(recorded).isEqualByComparingTo(spent);
    }

    @Test
    void streamsCutByTheirClientsGiveTheirSlotsBack() throws Exception {
        JsonNode created = gateways.createKey("\"max_concurrent\":2");
        String key = created.get("key").asText();
        String id = created.get("id").asText();
        // Two long streams, one per instance, hold both slots; a third request on either is refused.
        List<Socket> streams = new ArrayList<>();
        try {
            for (int instance = 0; instance < 2; instance++) {
                streams.add(startStream(gateways.port(instance), key));
            }
            for (int instance = 0; instance < 2; instance++) {
                HttpResponse<String> third = gateways.chat(instance, key, 5);
                assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
                assertThat(third.body()).contains("2 at once");
            }
        } finally {
            for (Socket s : streams) {
                s.close(); // the clients walk away mid-stream
            }
        }
        String inflight = gateways.prefix + ":{key:" + id + "}:key:" + id + ":inflight:h";
        LimitedGateways.await("both slots released", Duration.ofSeconds(10),
                () -> "0".equals(LimitedGateways.redisHashField(REDIS, inflight, "_sum")));
        assertThat(gateways.chat(0, key, 5).statusCode()).isEqualTo(200);
        assertThat(gateways.chat(1, key, 5).statusCode()).isEqualTo(200);
    }

    /** A raw HTTP/1.1 streaming request, read up to its first event: the stream is running upstream. */
    static Socket startStream(int port, String key) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        String body = LimitedGateways.chatBody(3000, true).replace("\"default\"", "\"slow\"");
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                + "authorization: Bearer " + key + "\r\ncontent-length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("data: ")) {
            int b = in.read();
            assertThat(b).as("the stream started").isNotNegative();
            seen.append((char) b);
        }
        assertThat(seen.toString()).startsWith("HTTP/1.1 200");
        return socket;
    }
}
