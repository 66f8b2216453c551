package dev.levee.internal.observe;

import dev.levee.UpstreamStats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.simulator.Simulator;
import dev.levee.internal.tokens.TokenEstimator;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class UpstreamStatsTest {
    @Test
    void percentilesFollowAKnownLatencyDistribution() throws Exception {
        // 20 models answering in 25, 50, ..., 500 ms, asked one at a time in a shuffled order: the
        // provider's nearest-rank percentiles must be p50 = 250, p95 = 475, p99 = 500 ms, plus levee's
        // and loopback's few milliseconds
        var simConfig = dev.levee.simulator.SimulatorConfig.builder().host("127.0.0.1").port(0);
        StringBuilder routes = new StringBuilder("routes:\n");
        for (int i = 1; i <= 20; i++) {
            simConfig.latency("m" + i, dev.levee.simulator.Latency.ofMillis(i * 25L, 0));
            routes.append("  r").append(i).append(": { tiers: [ { target: sim/m").append(i).append(" } ] }\n");
        }
        try (Simulator sim = Simulator.start(simConfig.build());
             Levee levee = TestSupport.levee(TestSupport.ollamaConfig(sim, routes
                     + "monitoring: { stats_window: 20, telemetry: { enabled: false } }\n"), Clock.systemUTC())) {
            levee.complete(dev.levee.ChatRequest.builder().route("r1").user("warm-up").build()); // falls out of the window
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, new java.util.Random(7));
            for (int i : order) {
                levee.complete(dev.levee.ChatRequest.builder().route("r" + i).user("q").build());
            }
            UpstreamStats s = levee.providerStats().get("sim");
            assertThat(s.calls()).isEqualTo(20);
            assertThat(s.errors()).isZero();
            assertThat(s.minLatencyMs()).isBetween(25.0, 25.0 + 60);
            assertThat(s.p50LatencyMs()).isBetween(250.0, 250.0 + 60);
            assertThat(s.p95LatencyMs()).isBetween(475.0, 475.0 + 60);
            assertThat(s.p99LatencyMs()).isBetween(500.0, 500.0 + 60);
            assertThat(s.maxLatencyMs()).isEqualTo(s.p99LatencyMs());
            assertThat(s.avgLatencyMs()).isBetween(262.5, 262.5 + 60);
            assertThat(levee.modelStats().get("sim/m10").calls()).isEqualTo(1);
        }
    }

    @Test
    void percentileIsNearestRank() {
        double[] sorted = new double[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(RecentStats.percentile(sorted, 50)).isEqualTo(50);
        assertThat(RecentStats.percentile(sorted, 95)).isEqualTo(95);
        assertThat(RecentStats.percentile(sorted, 99)).isEqualTo(99);
        assertThat(RecentStats.percentile(new double[] {7}, 99)).isEqualTo(7);
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
            assertThat(levee.modelStats().get("sim/flaky").errorRate()).isEqualTo(0.5);
            assertThat(levee.modelStats().get("sim/steady").calls()).isEqualTo(5);
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
