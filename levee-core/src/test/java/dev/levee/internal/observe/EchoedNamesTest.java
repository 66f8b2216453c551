package dev.levee.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.ChatRequest;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.TestSupport;
import dev.levee.simulator.Simulator;
import dev.levee.spi.LeveeEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A caller's string echoed in an error or an event is cut short and cannot forge a log line. */
class EchoedNamesTest {
    @Test
    void aHugeOrForgedRouteNameIsCutAndNeutralisedWhereverItIsEchoed() {
        List<LeveeEvent> events = new CopyOnWriteArrayList<>();
        String forged = "x\nFORGED 2026-01-01 INFO everything is fine" + "y".repeat(1_000_000);
        try (Simulator sim = TestSupport.simulator();
             Levee levee = Levee.builder().logRequests(false).listener(events::add)
                     .config(TestSupport.ollamaConfig(sim, """
                             routes:
                               default:
                                 tiers:
                                   - target: sim/gemma3:4b
                             """)).build()) {
            assertThatThrownBy(() -> levee.complete(ChatRequest.builder().route(forged).user("hi").build()))
                    .isInstanceOfSatisfying(LeveeException.class,
                            e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(200));
        }
        assertThat(events).filteredOn(e -> e instanceof LeveeEvent.RequestFailed).singleElement()
                .satisfies(e -> assertThat(((LeveeEvent.RequestFailed) e).route()).doesNotContain("\n")
                        .hasSizeLessThan(80));
    }
}
