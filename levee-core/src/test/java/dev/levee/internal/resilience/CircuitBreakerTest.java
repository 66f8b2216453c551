package dev.levee.internal.resilience;

import dev.levee.BreakerSnapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Attempt;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.TestSupport.MutableClock;
import dev.levee.simulator.Simulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Breaker transitions through the facade, against a real simulator, with a clock moved by hand. */
class CircuitBreakerTest {
    private static final String TARGET = "sim/primary";

    private Simulator sim;
    private MutableClock clock;
    private Levee levee;

    @BeforeEach
    void start() {
        sim = TestSupport.simulator();
        clock = new MutableClock();
        levee = TestSupport.levee(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/backup
                resilience:
                  circuit_breaker: { consecutive_failures: 3, failure_rate: 0.5, window: 6, minimum_calls: 6, open_for: 30s, half_open_probes: 2 }
                  retry: { max_attempts: 1 }
                """), clock);
    }

    @AfterEach
    void stop() {
        levee.close();
        sim.close();
    }

    private String state() {
        return levee.breakers().stream().filter(b -> b.target().equals(TARGET)).findFirst()
                .map(BreakerSnapshot::state).orElse("NONE");
    }

    @Test
    void breakerOpensAfterThreeConsecutiveFailures() {
        sim.faults().set("primary", "status=503");
        levee.process("one");
        levee.process("two");
        assertThat(state()).isEqualTo("CLOSED");
        ChatResponse third = levee.process("three");
        assertThat(third.modelUsed()).isEqualTo("backup");
        assertThat(state()).isEqualTo("OPEN");
    }

    @Test
    void openBreakerSkipsItsTierWithoutCallingUpstream() {
        sim.faults().set("primary", "status=503");
        for (int i = 0; i < 3; i++) {
            levee.process("fail " + i);
        }
        int callsBefore = sim.journal().count("primary");

        ChatResponse r = levee.process("while open");

        assertThat(sim.journal().count("primary")).isEqualTo(callsBefore);
        assertThat(r.fallbackLevel()).isEqualTo(1);
        assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED_BREAKER_OPEN);
        assertThat(r.attempts().get(0).latencyMs()).isZero();
    }

    @Test
    void breakerOpensOnFailureRateWithoutConsecutiveFailures() {
        // success, failure alternating: never 3 in a row, but 50 % over the window of 6
        for (int i = 0; i < 6; i++) {
            if (i % 2 == 1) {
                sim.faults().set("primary", "status=500");
            } else {
                sim.faults().clear("primary");
            }
            levee.process("call " + i);
            if (i < 5) {
                assertThat(state()).as("after call %d", i).isEqualTo("CLOSED");
            }
        }
        assertThat(state()).isEqualTo("OPEN");
    }

    @Test
    void halfOpenProbesThatSucceedCloseTheBreaker() {
        openBreaker();
        sim.faults().clear("primary");
        clock.advance(Duration.ofSeconds(31));

        ChatResponse probe = levee.process("probe 1");
        assertThat(probe.modelUsed()).isEqualTo("primary");
        assertThat(state()).isEqualTo("HALF_OPEN");
        levee.process("probe 2");
        assertThat(state()).isEqualTo("CLOSED");
    }

    @Test
    void aFailedHalfOpenProbeReopensTheBreakerAtOnce() {
        openBreaker();
        clock.advance(Duration.ofSeconds(31));
        int before = sim.journal().count("primary");

        ChatResponse probe = levee.process("probe");

        assertThat(sim.journal().count("primary")).isEqualTo(before + 1);
        assertThat(probe.modelUsed()).isEqualTo("backup");
        assertThat(state()).isEqualTo("OPEN");
        levee.process("still open");
        assertThat(sim.journal().count("primary")).isEqualTo(before + 1);
    }

    @Test
    void breakerStaysOpenUntilTheRecoveryTimeoutPasses() {
        openBreaker();
        sim.faults().clear("primary");
        clock.advance(Duration.ofSeconds(29));
        int before = sim.journal().count("primary");
        levee.process("too early");
        assertThat(sim.journal().count("primary")).isEqualTo(before);
        assertThat(state()).isEqualTo("OPEN");
    }

    @Test
    void callerErrorsDoNotTripTheBreaker() {
        sim.faults().set("primary", "context_length");
        for (int i = 0; i < 5; i++) {
            ChatResponse r = levee.process("too long " + i);
            assertThat(r.modelUsed()).isEqualTo("backup");
        }
        assertThat(state()).isEqualTo("CLOSED");
    }

    private void openBreaker() {
        sim.faults().set("primary", "status=503");
        for (int i = 0; i < 3; i++) {
            levee.process("fail " + i);
        }
        assertThat(state()).isEqualTo("OPEN");
    }
}
