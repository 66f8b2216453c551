package dev.levee.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.ChatRequest;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.TestSupport;
import dev.levee.simulator.Simulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Names a caller or an upstream makes up cannot grow levee's state: metric series stay bounded. */
class BoundedStateTest {
    @Test
    void thousandsOfUnknownRouteNamesShareOneSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Simulator sim = TestSupport.simulator();
             Levee levee = Levee.builder().logRequests(false).meterRegistry(registry)
                     .config(TestSupport.ollamaConfig(sim, """
                             routes:
                               default:
                                 tiers:
                                   - target: sim/gemma3:4b
                             """)).build()) {
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                assertThatThrownBy(() -> levee.complete(ChatRequest.builder().route("made-up-" + n).user("hi").build()))
                        .isInstanceOf(LeveeException.class);
            }
            levee.process("hello");
        }
        assertThat(registry.find("levee.requests").counters()).hasSize(2); // default/ok and unknown/unknown_route
        assertThat(registry.find("levee.requests").tag("route", "unknown").counter().count()).isEqualTo(2_000);
    }

    @Test
    void namesPastTheLimitShareTheOverflowName() {
        BoundedNames names = new BoundedNames(java.util.List.of("configured"), 2, "other");
        assertThat(names.of("configured")).isEqualTo("configured");
        assertThat(names.of("a")).isEqualTo("a");
        assertThat(names.of("b")).isEqualTo("b");
        assertThat(names.of("c")).isEqualTo("other");
        assertThat(names.of("a")).isEqualTo("a");
        assertThat(names.of("configured")).isEqualTo("configured");
    }
}
