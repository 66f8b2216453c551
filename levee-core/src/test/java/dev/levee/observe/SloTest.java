package dev.levee.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.ChatRequest;
import dev.levee.Levee;
import dev.levee.SloStatus;
import dev.levee.TestSupport;
import dev.levee.TestSupport.MutableClock;
import dev.levee.simulator.Simulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routes' SLOs through the facade, on an injected clock: failures by providers spend the availability
 * budget, caller errors do not; slow answers spend the latency budget; burn rates over 5 minutes and
 * an hour, as numbers and as the levee_slo_burn_rate gauge.
 */
class SloTest {
    private static Simulator sim;
    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void close() {
        sim.faults().clearAll();
        if (levee != null) {
            levee.close();
        }
    }

    private SloStatus route(String name) {
        return levee.slos().stream().filter(s -> s.route().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void failuresSpendTheAvailabilityBudgetAndSlowAnswersTheLatencyOne() {
        levee = Levee.builder().logRequests(false).clock(clock).meterRegistry(registry)
                .config(TestSupport.ollamaConfig(sim, """
                        routes:
                          default:
                            tiers:
                              - target: sim/primary
                            rule_based_fallback: false
                            slo: { availability: 0.99, latency: 1ms, latency_percentile: 0.9 }
                          quick:
                            tiers:
                              - target: sim/primary
                        resilience:
                          retry: { max_attempts: 1 }
                          circuit_breaker: { consecutive_failures: 1000, minimum_calls: 20 }
                        """)).build();
        assertThat(route("quick").availabilityTarget()).as("the defaults").isEqualTo(0.999);
        assertThat(route("quick").latencyTargetMillis()).isEqualTo(500);

        for (int i = 0; i < 8; i++) {
            levee.complete(ChatRequest.of("fine " + i)); // each takes more than 1 ms: all slow
        }
        sim.faults().set("primary", "status=500");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> levee.complete(ChatRequest.of("failing")));
        }
        sim.faults().clearAll();
        assertThatThrownBy(() -> levee.complete(ChatRequest.builder().route("nope").user("x").build()))
                .as("a caller's error does not count");

        SloStatus s = route("default");
        assertThat(s.requests1h()).isEqualTo(10);
        assertThat(s.failed1h()).isEqualTo(2);
        assertThat(s.slow1h()).isEqualTo(8);
        assertThat(s.availabilityBurn5m()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9)); // 0.2 / 0.01
        assertThat(s.latencyBurn1h()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));   // 1.0 / 0.1
        assertThat(registry.get("levee.slo.burn_rate").tags("route", "default", "slo", "availability", "window", "5m")
                .gauge().value()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));

        clock.advance(Duration.ofMinutes(6)); // out of the 5-minute window, still in the hour
        s = route("default");
        assertThat(s.availabilityBurn5m()).isZero();
        assertThat(s.availabilityBurn1h()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
        clock.advance(Duration.ofMinutes(60));
        assertThat(route("default").requests1h()).isZero();
    }
}
