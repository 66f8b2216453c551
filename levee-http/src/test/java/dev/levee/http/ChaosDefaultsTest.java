package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.http.ChaosTest.Outcome;
import dev.levee.simulator.ResponseGenerator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The faults whose handling depends on how the time limits combine, with the documented defaults
 * as a user runs them — no {@code resilience} section, no {@code max_tokens} — rather than the
 * shortened waits of {@link ChaosTest}. A slow but healthy primary is waited for, on JSON and on SSE;
 * a stream that stalls after content, or never starts, is noticed by its own limit (15 s) while
 * there is still time for the next tier. The four run at once, so the test takes one limit's time.
 */
class ChaosDefaultsTest {
    private static GatewayFixture gw;

    private record Case(String route, String fault, boolean stream, String expectedTier) {
    }

    private static final List<Case> CASES = List.of(
            // 8 s is past the deadline's 10 s base less the tier's share, but a request without
            // max_tokens is given an output budget: its deadline is 112 s, the primary's share 56 s
            new Case("slow_json", "ttft=8000", false, "0"),
            new Case("slow_sse", "ttft=8000", true, "0"),        // within first_token (15 s)
            new Case("stalled_sse", "stall_after=5", true, "0"), // committed on the primary, continued
                                                                 // on the next tier after stream_idle (15 s)
            new Case("hung_sse", "hang", true, "1"));            // the next tier after first_token (15 s)

    @BeforeAll
    static void start() {
        StringBuilder routes = new StringBuilder("routes:\n");
        for (Case c : CASES) {
            routes.append("  ").append(c.route).append(":\n    tiers:\n      - target: oai/").append(c.route)
                    .append("\n      - target: oai/secondary\n");
        }
        gw = new GatewayFixture(routes.toString());
        for (Case c : CASES) {
            gw.sim.faults().set(c.route, c.fault);
        }
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void withTheDefaultLimitsSlowAnswersAreWaitedForAndDeadStreamsRescued() throws Exception {
        var callers = java.util.concurrent.Executors.newFixedThreadPool(CASES.size()); // the common pool has one thread on two cores
        List<CompletableFuture<Outcome>> calls = CASES.stream()
                .map(c -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return ChaosTest.call(gw, c.route, c.stream);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, callers))
                .toList();
        callers.shutdown();
        String expected = ResponseGenerator.answerFor(ChaosTest.PROMPT);
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            Outcome o = calls.get(i).get(60, TimeUnit.SECONDS);
            assertThat(o.status()).as(c + " " + o).isEqualTo(200);
            assertThat(o.text()).as(c.toString()).isEqualTo(expected);
            assertThat(o.complete()).as(c.toString()).isTrue();
            assertThat(o.fallbackLevel()).as(c + ": the tier that answered first").isEqualTo(c.expectedTier);
        }
        assertThat(gw.sim.journal().forModel("hung_sse")).as("a hung primary is not waited for twice").hasSize(1);
        assertThat(gw.sim.journal().forModel("secondary")).as("the stalled and the hung stream's rescues, no more")
                .hasSize(2);
    }
}
