package dev.levee.internal.observe.telemetry;

import dev.levee.spi.TelemetryRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.simulator.Simulator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One telemetry record per request, with usage from each provider format and exact cost. */
class TelemetryTest {
    private static Simulator sim;
    private static Levee levee;
    private static final List<TelemetryRecord> records = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
        levee = Levee.builder().config(TestSupport.config("""
                providers:
                  local: { type: ollama, base_url: "%1$s" }
                  openai: { type: openai, base_url: "%1$s/v1", api_key: sk-test-telemetry-000000000000 }
                  anthropic: { type: anthropic, base_url: "%1$s", api_key: sk-ant-test-00000000000000 }
                routes:
                  default:
                    tiers:
                      - target: openai/gpt-4o-mini
                      - target: anthropic/claude-3-5-haiku
                      - target: local/gemma3:4b
                  local:
                    tiers: [ { target: local/gemma3:4b } ]
                  strict:
                    tiers: [ { target: local/strict } ]
                    rule_based_fallback: false
                pricing:
                  gemma3:4b: { input: 0.10, output: 0.20 }
                resilience:
                  retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl()))).clock(Clock.systemUTC()).telemetrySink(records::add).build();
    }

    @AfterAll
    static void stop() {
        levee.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        records.clear();
        sim.faults().clearAll();
    }

    private static TelemetryRecord only() {
        org.awaitility.Awaitility.await().until(() -> records.size() == 1);
        return records.get(0);
    }

    @Test
    void openAiUsageAndItsExactCost() {
        var r = levee.complete(ChatRequest.builder().user("Price this answer").options(CallOptions.builder()
                .requestId("tel-1").metadata(Map.of("feature_version", "f2", "prompt_version", "p7",
                        "experiment_id", "exp-9", "variant_id", "B", "user", "u-1")).build()).build());

        TelemetryRecord t = only();
        assertThat(t.requestId()).isEqualTo("tel-1");
        assertThat(t.provider()).isEqualTo("openai");
        assertThat(t.model()).isEqualTo("gpt-4o-mini");
        assertThat(t.status()).isEqualTo("ok");
        assertThat(t.tokens().prompt()).isEqualTo(r.usage().promptTokens()).isPositive();
        assertThat(t.tokens().completion()).isEqualTo(r.usage().completionTokens()).isPositive();
        assertThat(t.tokens().estimated()).isFalse();
        // $0.15 and $0.60 per million tokens
        BigDecimal expected = new BigDecimal("0.15").multiply(BigDecimal.valueOf(t.tokens().prompt()))
                .add(new BigDecimal("0.60").multiply(BigDecimal.valueOf(t.tokens().completion())))
                .divide(BigDecimal.valueOf(1_000_000));
        assertThat(t.costUsd()).isEqualByComparingTo(expected);
        assertThat(t.metadata()).containsEntry("experiment_id", "exp-9").containsEntry("variant_id", "B")
                .containsEntry("feature_version", "f2").containsEntry("prompt_version", "p7");
        assertThat(t.promptHash()).hasSize(12);
        assertThat(t.promptLength()).isEqualTo("Price this answer".length());
        assertThat(t.responseLength()).isEqualTo(r.text().length());
        assertThat(t.breakerStates()).containsEntry("openai/gpt-4o-mini", "CLOSED");
        assertThat(t.anomalyScore()).isNotNull();
    }

    @Test
    void anthropicUsageOnAFallbackWithTheFailedAttemptRecorded() {
        sim.faults().set("gpt-4o-mini", "status=503");
        var r = levee.process("fall back please");

        TelemetryRecord t = only();
        assertThat(t.model()).isEqualTo("claude-3-5-haiku");
        assertThat(t.fallbackLevel()).isEqualTo(1);
        assertThat(t.fallbackUsed()).isTrue();
        assertThat(t.attempts()).extracting(TelemetryRecord.AttemptRecord::outcome).containsExactly("failed", "succeeded");
        assertThat(t.attempts().get(0).status()).isEqualTo(503);
        BigDecimal expected = new BigDecimal("0.80").multiply(BigDecimal.valueOf(r.usage().promptTokens()))
                .add(new BigDecimal("4.00").multiply(BigDecimal.valueOf(r.usage().completionTokens())))
                .divide(BigDecimal.valueOf(1_000_000));
        assertThat(t.costUsd()).isEqualByComparingTo(expected);
    }

    @Test
    void ollamaUsageIsPricedOnlyWhenTheConfigPricesIt() {
        var r = levee.complete(ChatRequest.builder().route("local").user("local model").build());
        TelemetryRecord t = only();
        assertThat(t.tokens().prompt()).isEqualTo(r.usage().promptTokens()).isPositive();
        BigDecimal expected = new BigDecimal("0.10").multiply(BigDecimal.valueOf(r.usage().promptTokens()))
                .add(new BigDecimal("0.20").multiply(BigDecimal.valueOf(r.usage().completionTokens())))
                .divide(BigDecimal.valueOf(1_000_000));
        assertThat(t.costUsd()).isEqualByComparingTo(expected);
    }

    @Test
    void ruleBasedAnswerCostsNothing() {
        levee.process("hello", CallOptions.builder().forceAllModelsFail(true).build());
        TelemetryRecord t = only();
        assertThat(t.model()).isEqualTo("rule_based_fallback");
        assertThat(t.fallbackLevel()).isEqualTo(3);
        assertThat(t.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(t.tokens().total()).isZero();
    }

    @Test
    void aFailedRequestIsRecordedWithItsError() {
        sim.faults().set("strict", "status=500");
        org.assertj.core.api.Assertions.catchThrowable(
                () -> levee.complete(ChatRequest.builder().route("strict").user("x").build()));
        TelemetryRecord t = only();
        assertThat(t.status()).isEqualTo("error");
        assertThat(t.error().kind()).isEqualTo("unavailable");
        assertThat(t.attempts()).hasSize(1);
        assertThat(t.costUsd()).isNull();
    }

    @Test
    void recordsAreJsonLinesInARotatedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("telemetry.jsonl");
        try (JsonlTelemetrySink sink = new JsonlTelemetrySink(file, 2048, 2)) {
            for (int i = 0; i < 30; i++) {
                sink.accept(new TelemetryRecord(java.time.Instant.parse("2026-01-01T00:00:00Z"), "req-" + i, "default", "p", "m", 0, false,
                        false, List.of(), 1.5, null, new TelemetryRecord.Tokens(1, 2, 3, false), new BigDecimal("0.000001"),
                        "ok", null, Map.of(), 0.0, null, "abc", 3, 4, "stop", null));
            }
        }
        assertThat(file).exists();
        assertThat(dir.resolve("telemetry.jsonl.1")).exists();
        assertThat(dir.resolve("telemetry.jsonl.3")).doesNotExist();
        List<String> lines = Files.readAllLines(file);
        assertThat(Files.size(file)).isLessThanOrEqualTo(2048);
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(last.path("request_id").asText()).isEqualTo("req-29");
        assertThat(last.path("cost_usd").decimalValue()).isEqualByComparingTo("0.000001");
        assertThat(last.has("latency_ms")).isTrue();
    }
}
