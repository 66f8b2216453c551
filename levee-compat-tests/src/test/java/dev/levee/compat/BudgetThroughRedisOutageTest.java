package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budget set to fail open keeps admitting while Redis is frozen, counted by each gateway on its own;
 * once Redis answers again, what was spent meanwhile is in Redis's count too, so the outage did not
 * hand the key a second budget. Redis here is a server of the test's own on an ephemeral port, so that
 * freezing it disturbs no other test.
 */
class BudgetThroughRedisOutageTest {
    @TempDir
    static Path dataDir;
    private static int port;
    private static Process redis;
    private static LimitedGateways gateways;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = LimitedGateways.startRedis(port);
        gateways = new LimitedGateways(dataDir, 2, "redis: redis://127.0.0.1:" + port
                + "\ntimeout: 100ms\non_failure: { budget: fail_open }");
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    /** What an answer cost at the test's prices (gemma3:4b at $20 / $40 per million tokens). */
    private static BigDecimal cost(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode usage = LimitedGateways.JSON.readTree(r.body()).get("usage");
        return BigDecimal.valueOf(usage.get("prompt_tokens").asLong() * 20L
                + usage.get("completion_tokens").asLong() * 40L, 6);
    }

    /** Redis's count of what the budget has spent, in USD. */
    private static BigDecimal spentInRedis(String hash) throws Exception {
        String nanos = LimitedGateways.redisHashField(port, hash, "_spent");
        return nanos.isEmpty() ? BigDecimal.ZERO : BigDecimal.valueOf(Long.parseLong(nanos), 9);
    }

    @Test
    void whatABudgetSpentWhileRedisWasAwayIsCountedThereWhenItAnswersAgain() throws Exception {
        JsonNode created = gateways.createKey("\"budget_usd\":\"5\",\"budget_period\":\"month\"");
        String key = created.get("key").asText();
        String id = created.get("id").asText();
        BigDecimal[] spent = {BigDecimal.ZERO};
        for (int i = 0; i < 2; i++) {
            spent[0] = spent[0].add(cost(gateways.chat(i, key, 5)));
        }
        JsonNode budgets = LimitedGateways.JSON.readTree(gateways.send(0, "GET", "/levee/admin/budgets", null,
                LimitedGateways.MASTER).body()).get("data");
        String periodStart = Instant.parse(budgets.get(0).get("period_start").asText()).atZone(ZoneOffset.UTC)
                .toLocalDate().toString();
        String hash = gateways.prefix + ":{key:" + id + "}:key:" + id + ":budget:month:" + periodStart + ":h";
        BigDecimal before = spent[0];
        LimitedGateways.await("the first answers' spend in Redis", Duration.ofSeconds(10),
                () -> spentInRedis(hash).compareTo(before) == 0);

        LimitedGateways.signal(redis, "STOP"); // frozen: connections open, nothing answers
        BigDecimal away = BigDecimal.ZERO;
        try {
            for (int n = 0; n < 20; n++) {
                away = away.add(cost(gateways.chat(n % 2, key, 5))); // admitted: the budget fails open
            }
        } finally {
            LimitedGateways.signal(redis, "CONT");
        }
        assertThat(away).isPositive();
        spent[0] = spent[0].add(away);
        assertThat(spentInRedis(hash)).as("Redis was frozen: it counted nothing of the outage")
                .isEqualByComparingTo(before);

        // Each gateway repays once Redis admits one of its requests again; the requests that find out cost too.
        LimitedGateways.await("both gateways back on Redis, and everything spent counted there",
                Duration.ofSeconds(20), () -> {
                    for (int i = 0; i < 2; i++) {
                        spent[0] = spent[0].add(cost(gateways.chat(i, key, 5)));
                    }
                    Thread.sleep(200); // settlements and repayments are sent after the answer
                    return spentInRedis(hash).compareTo(spent[0]) == 0;
                });
        Thread.sleep(500); // a repayment sent twice would land by now
        assertThat(spentInRedis(hash)).as("nothing is counted twice").isEqualByComparingTo(spent[0]);
    }
}
