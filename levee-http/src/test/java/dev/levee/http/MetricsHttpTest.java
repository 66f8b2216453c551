package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /metrics} in valid Prometheus exposition format with levee's meters. */
class MetricsHttpTest {
    private static GatewayFixture gw;

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/backup
                  counted:
                    tiers:
                      - target: sim/primary
                      - target: sim/backup
                resilience:
                  retry: { max_attempts: 2, base_delay: 5ms }
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = gw.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    @Test
    void metricsCountRequestsFallbacksRetriesTokensAndBreakerStates() throws Exception {
        gw.post("/v1/chat/completions", GatewayFixture.chat("counted", "ok", false));
        gw.sim.faults().set("primary", "status=503");
        gw.post("/v1/chat/completions", GatewayFixture.chat("counted", "fall back", true));
        gw.sim.faults().clearAll();

        String metrics = scrape();
        assertThat(metrics)
                .contains("levee_requests_total{fallback_level=\"0\",model=\"primary\",provider=\"sim\",route=\"counted\",status=\"ok\"} 1.0")
                .contains("levee_requests_total{fallback_level=\"1\",model=\"backup\",provider=\"sim\",route=\"counted\",status=\"ok\"} 1.0")
                .contains("levee_retries_total{model=\"primary\",provider=\"sim\"} 1.0")
                .contains("levee_fallbacks_total{to_level=\"1\"} 1.0")
                .contains("levee_request_duration_seconds_bucket{")
                .contains("levee_upstream_duration_seconds_count{model=\"primary\",outcome=\"failure\",provider=\"sim\"} 2")
                .contains("levee_time_to_first_token_seconds_count{model=\"backup\",route=\"counted\"} 1")
                .contains("levee_tokens_total{model=\"primary\",provider=\"sim\",type=\"completion\"}")
                .contains("levee_breaker_state{state=\"closed\",target=\"sim/primary\"} 1.0")
                .contains("levee_requests_in_flight 0.0");
        assertThat(metrics).doesNotContain("sk-test-gateway-secret").doesNotContain("request_id");
    }

    @Test
    void expositionPassesPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool (Debian package prometheus) is not installed");
        gw.post("/v1/chat/completions", GatewayFixture.chat("default", "for promtool", false));
        String metrics = scrape();

        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String report = out.toString(StandardCharsets.UTF_8);
        // promtool exits non-zero for errors; lint notes about units are not errors
        assertThat(p.exitValue()).as(report).isZero();
        assertThat(report).doesNotContain("error");
    }
}
