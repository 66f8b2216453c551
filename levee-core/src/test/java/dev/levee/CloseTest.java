package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.simulator.Simulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Closing levee never strands a caller: every call and stream in flight ends with a clear error. */
class CloseTest {
    @Test
    void callsAndStreamsInFlightFailWithAClearErrorWhenLeveeCloses() throws Exception {
        try (Simulator sim = TestSupport.simulator()) {
            sim.faults().set("slow", "hang");
            Levee levee = Levee.builder().logRequests(false).config(TestSupport.ollamaConfig(sim, """
                    routes:
                      default:
                        tiers:
                          - target: sim/slow
                        rule_based_fallback: false
                    """)).build();
            CompletableFuture<ChatResponse> call = levee.chat(ChatRequest.of("hello"));
            CompletableFuture<LeveeException> streamError = new CompletableFuture<>();
            ChatStream stream = levee.stream(ChatRequest.of("hello"), new StreamHandler() {
                @Override
                public void onChunk(ChatChunk chunk) {
                }

                @Override
                public void onComplete(ChatResponse response) {
                    streamError.completeExceptionally(new AssertionError("completed"));
                }

                @Override
                public void onError(LeveeException error) {
                    streamError.complete(error);
                }
            });
            await(sim);

            levee.close(Duration.ofMillis(200));

            assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(LeveeException.class,
                            e -> assertThat(e.kind()).isEqualTo(LeveeException.Kind.SHUTTING_DOWN));
            assertThat(streamError.get(1, TimeUnit.SECONDS).kind()).isEqualTo(LeveeException.Kind.SHUTTING_DOWN);
            assertThat(stream.completion()).isCompletedExceptionally();
            assertThatThrownBy(() -> levee.chat(ChatRequest.of("again")).join())
                    .cause().isInstanceOfSatisfying(LeveeException.class,
                            e -> assertThat(e.kind()).isEqualTo(LeveeException.Kind.SHUTTING_DOWN));
        }
    }

    /** Both requests reached the (hanging) upstream. */
    private static void await(Simulator sim) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sim.journal().count("slow") == 2);
    }
}
