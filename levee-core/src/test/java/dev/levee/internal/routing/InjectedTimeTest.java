package dev.levee.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.Attempt;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.TestSupport;
import dev.levee.TestSupport.ManualTicker;
import dev.levee.simulator.Simulator;
import dev.levee.spi.LeveeEvent;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The builder's ticker is the time deadlines and latencies are read from: time is moved by hand, so
 * the deadline's effect is tested without sleeping through it.
 */
class InjectedTimeTest {
    private final ManualTicker ticker = new ManualTicker();
    private Simulator sim;
    private Levee levee;

    @BeforeEach
    void start() {
        sim = TestSupport.simulator();
        levee = Levee.builder().logRequests(false).ticker(ticker).config(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/backup
                    rule_based_fallback: false
                resilience:
                  retry: { max_attempts: 1 }
                  timeout: { base: 10s, per_token: 0ms, max: 10s }
                """)).build();
    }

    @AfterEach
    void stop() {
        levee.close();
        sim.close();
    }

    @Test
    void whenThePrimaryUsedUpTheDeadlineTheNextTierIsNotCalled() {
        sim.faults().set("primary", "status=503");
        // Eleven seconds pass while the primary fails: the 10 s deadline is gone before the backup's turn.
        levee.addListener(e -> {
            if (e instanceof LeveeEvent.AttemptFailed) {
                ticker.advance(Duration.ofSeconds(11));
            }
        });

        assertThatThrownBy(() -> levee.process("hello"))
                .isInstanceOfSatisfying(LeveeException.class,
                        e -> assertThat(e.kind()).isEqualTo(LeveeException.Kind.DEADLINE_EXCEEDED));
        assertThat(sim.journal().count("backup")).isZero();
    }

    @Test
    void latencyIsMeasuredOnTheInjectedTicker() {
        levee.addListener(e -> {
            if (e instanceof LeveeEvent.AttemptStarted) {
                ticker.advance(Duration.ofMillis(1500));
            }
        });

        ChatResponse r = levee.process("hello");

        assertThat(r.latencyMs()).isEqualTo(1500.0);
        assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.SUCCEEDED);
    }
}
