package dev.levee.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.simulator.Simulator;
import dev.levee.tokens.TokenEstimator;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class UpstreamStatsTest {
    @Test
    void percentilesFollowAKnownLatencyDistribution() {
        try (Simulator sim = TestSupport.simulator();
             Levee levee = TestSupport.levee(TestSupport.ollamaConfig(sim, """
                     routes:
                       default: { tiers: [ { target: sim/timed } ] }
                     monitoring: { telemetry: { enabled: false } }
                     """), Clock.systemUTC())) {
            // latencies 1..100 ms, in a shuffled order: p50 = 50, p95 = 95, p99 = 99 (+ levee and loopback)
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, new java.util.Random(7));
            for (int ms : order) {
                sim.faults().set("timed", "ttft=" + ms + ",token_ms=0");
                levee.process("q");
            }
            UpstreamStats s = levee.engine().stats().byModel().get("sim/timed");
            assertThat(s.calls()).isEqualTo(100);
            assertThat(s.errors()).isZero();
            assertThat(s.p50LatencyMs()).isBetween(50.0, 50.0 + 25);
            assertThat(s.p95LatencyMs()).isBetween(95.0, 95.0 + 25);
            assertThat(s.p99LatencyMs()).isBetween(99.0, 99.0 + 25);
            assertThat(s.minLatencyMs()).isBetween(1.0, 1.0 + 25);
            assertThat(s.maxLatencyMs()).isBetween(100.0, 100.0 + 40);
            assertThat(s.avgLatencyMs()).isBetween(50.5, 50.5 + 25);
            assertThat(levee.engine().stats().byProvider().get("sim").calls()).isEqualTo(100);
        }
    }

    @Test
    void errorRateCountsFailedAttemptsEvenWhenAFallbackAnswered() {
        try (Simulator sim = TestSupport.simulator();
             Levee levee = TestSupport.levee(TestSupport.ollamaConfig(sim, """
                     routes:
                       default: { tiers: [ { target: sim/flaky }, { target: sim/steady } ] }
                     resilience: { retry: { max_attempts: 1 }, circuit_breaker: { consecutive_failures: 100, window: 100, minimum_calls: 100 } }
                     monitoring: { telemetry: { enabled: false } }
                     """), Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) {
                if (i % 2 == 0) {
                    sim.faults().set("flaky", "status=500");
                } else {
                    sim.faults().clear("flaky");
                }
                levee.process("q" + i);
            }
            assertThat(levee.engine().stats().byModel().get("sim/flaky").errorRate()).isEqualTo(0.5);
            assertThat(levee.engine().stats().byModel().get("sim/steady").calls()).isEqualTo(5);
            assertThat(levee.recentPerformance().fallbackRate()).isEqualTo(0.5);
            assertThat(levee.recentPerformance().requestCount()).isEqualTo(10);
        }
    }

    @Test
    void tokenEstimateUsesARealTokenizer() {
        assertThat(TokenEstimator.count("hello world")).isEqualTo(2);
        assertThat(TokenEstimator.count("")).isZero();
        var usage = TokenEstimator.estimate(java.util.List.of(dev.levee.Message.user("hello world")), "hi there");
        assertThat(usage.estimated()).isTrue();
        assertThat(usage.promptTokens()).isEqualTo(3 + 3 + 2);
        assertThat(usage.completionTokens()).isEqualTo(2);
    }
}
