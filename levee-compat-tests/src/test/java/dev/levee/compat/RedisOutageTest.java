package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis fails under two gateways — frozen (it accepts connections and never answers) and then killed —
 * and each limit does what its policy says: requests and tokens fail open, budgets fail closed. No
 * request hangs, and the gateways are back on the shared counts by themselves once Redis returns.
 * Redis here is a real server of its own on an ephemeral port, so that freezing it disturbs no other test.
 */
class RedisOutageTest {
    @TempDir
    static Path dataDir;
    private static int port;
    private static Process redis;
    private static LimitedGateways gateways;
    private static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> alerts =
            new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = LimitedGateways.startRedis(port);
        alerts.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("levee.alert")).addAppender(alerts);
        gateways = new LimitedGateways(dataDir, 2, "redis: redis://127.0.0.1:" + port + "\ntimeout: 100ms");
    }

    @AfterAll
    static void stop() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("levee.alert")).detachAppender(alerts);
        if (gateways != null) {
            gateways.close();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    @Test
    void eachLimitFollowsItsPolicyWhileRedisIsDownAndAllComesBackWithoutARestart() throws Exception {
        String rated = gateways.createKey("\"rpm\":1000,\"tpm\":1000000").get("key").asText();
        String budgeted = gateways.createKey("\"budget_usd\":\"5\",\"budget_period\":\"month\"").get("key").asText();
        for (int i = 0; i < 2; i++) {
            assertThat(gateways.chat(i, rated, 5).statusCode()).isEqualTo(200);
            assertThat(gateways.chat(i, budgeted, 5).statusCode()).isEqualTo(200);
        }

        LimitedGateways.signal(redis, "STOP"); // frozen: connections open, nothing answers
        try {
            outage(rated, budgeted);
        } finally {
            LimitedGateways.signal(redis, "CONT");
        }
        recovered(budgeted);
        assertThat(alerts.list).extracting(e -> e.getFormattedMessage())
                .anySatisfy(m -> assertThat(m).contains("ALERT dependency_down").contains("127.0.0.1:" + port)
                        .contains("is not answering"));

        redis.destroyForcibly().waitFor(); // gone: connections refused
        outage(rated, budgeted);
        redis = LimitedGateways.startRedis(port); // an empty Redis on the same address
        recovered(budgeted);
        assertThat(gateways.chat(0, rated, 5).statusCode()).isEqualTo(200);
    }

    /**
     * Under load — 80 requests, 16 at a time, over both gateways — rates fail open (200) and the budget
     * fails closed (503 saying why); every answer comes back within the client's 20 s timeout.
     */
    private static void outage(String rated, String budgeted) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int n = 0; n < 80; n++) {
                int instance = n % 2;
                boolean budget = (n / 2) % 2 == 1;
                sent.add(pool.submit(() -> {
                    HttpResponse<String> r = gateways.chat(instance, budget ? budgeted : rated, 5);
                    if (budget) {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                        assertThat(r.body()).contains("budget limit is kept in Redis, which cannot be reached");
                        assertThat(r.body()).as("Redis is down, not the route's tiers")
                                .contains("\"code\":\"limits_unavailable\"");
                    } else {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(); // an assertion failed or the request hung past its timeout: this throws
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void recovered(String budgeted) throws Exception {
        LimitedGateways.await("budgeted requests admitted again on both instances", Duration.ofSeconds(15),
                () -> gateways.chat(0, budgeted, 5).statusCode() == 200
                        && gateways.chat(1, budgeted, 5).statusCode() == 200);
    }
}
