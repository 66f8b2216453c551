package dev.levee.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levee.Attempt;
import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.StreamHandler;
import dev.levee.TestSupport;
import dev.levee.Tool;
import dev.levee.simulator.Simulator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request that needs a capability skips the tiers that lack it; none is asked to pretend. */
class CapabilityRoutingTest {
    private static Simulator sim;
    private static Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
        levee = Levee.builder().logRequests(false).config(TestSupport.config("""
                providers:
                  local: { type: ollama, base_url: "%1$s" }
                  oai: { type: openai, base_url: "%1$s/v1", api_key: sk-test-0000000000000000 }
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                      - target: oai/gpt-a
                      - target: oai/gpt-b
                        supports_prefill: true
                  local-only:
                    tiers:
                      - target: local/gemma3:4b
                  canned:
                    tiers:
                      - target: oai/gpt-a
                    rule_based_for_structured: true
                  no-tools:
                    tiers:
                      - target: oai/gpt-a
                        capabilities: { tools: false }
                  embed-first:
                    tiers:
                      - target: oai/text-embedding-3-small
                      - target: oai/gpt-a
                  embed-only:
                    tiers:
                      - target: local/nomic-embed-text
                  embed-or-plain:
                    tiers:
                      - target: local/nomic-embed-text
                      - target: local/gemma3:4b
                  embed-says-chat:
                    tiers:
                      - target: local/bge-chatty
                        capabilities: { chat: true }
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl()))).build();
    }

    @AfterAll
    static void stop() {
        levee.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.faults().clearAll();
        sim.journal().clear();
    }

    private static ChatRequest weather(String route) {
        return ChatRequest.builder().route(route).user("Weather for Copenhagen")
                .tool(new Tool("get_weather", "looks up the weather", new ObjectMapper().createObjectNode()
                        .put("type", "object").set("properties", new ObjectMapper().createObjectNode()
                                .set("city", new ObjectMapper().createObjectNode().put("type", "string"))), null))
                .build();
    }

    @Test
    void aTierWithoutToolsIsSkippedAndTheNextOneCallsTheTool() {
        ChatResponse r = levee.complete(weather(null));

        assertThat(r.modelUsed()).isEqualTo("gpt-a");
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Copenhagen\"}");
        });
        assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED_UNSUPPORTED);
        assertThat(r.attempts().get(0).error()).isEqualTo("unsupported: tools");
        assertThat(sim.journal().count("gemma3:4b")).isZero();
    }

    @Test
    void whenNoTierCanCallToolsTheRequestIsRefusedNamingTheField() {
        assertThatThrownBy(() -> levee.complete(weather("local-only")))
                .isInstanceOfSatisfying(LeveeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo("tools");
                    assertThat(e.getMessage()).contains("local/gemma3:4b has no tools");
                });
    }

    @Test
    void aConfigOverrideTakesATierOutOfToolRequests() {
        assertThatThrownBy(() -> levee.complete(weather("no-tools")))
                .isInstanceOfSatisfying(LeveeException.class, e -> assertThat(e.param()).isEqualTo("tools"));
        assertThat(sim.journal().all()).isEmpty();
    }

    @Test
    void aChatRequestSkipsAnEmbeddingModelsTier() {
        ChatResponse r = levee.complete(ChatRequest.builder().route("embed-first").user("hello").build());

        assertThat(r.modelUsed()).isEqualTo("gpt-a");
        assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED_UNSUPPORTED);
        assertThat(r.attempts().get(0).error()).isEqualTo("unsupported: chat");
        assertThat(sim.journal().count("text-embedding-3-small")).isZero();
    }

    @Test
    void aRouteOfEmbeddingModelsRefusesAChatRequestNamingMessages() {
        assertThatThrownBy(() -> levee.complete(ChatRequest.builder().route("embed-only").user("hello").build()))
                .isInstanceOfSatisfying(LeveeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo("messages");
                    assertThat(e.getMessage()).contains("local/nomic-embed-text has no chat");
                });
        assertThat(sim.journal().all()).isEmpty();
    }

    @Test
    void theFieldNamedIsTheOneTheChatTiersLackNotChat() {
        assertThatThrownBy(() -> levee.complete(weather("embed-or-plain")))
                .isInstanceOfSatisfying(LeveeException.class, e -> {
                    assertThat(e.param()).isEqualTo("tools");
                    assertThat(e.getMessage()).contains("local/nomic-embed-text has no chat")
                            .contains("local/gemma3:4b has no tools");
                });
    }

    @Test
    void aTierThatSaysItChatsIsAskedAlthoughItsNameSaysEmbedding() {
        ChatResponse r = levee.complete(ChatRequest.builder().route("embed-says-chat").user("hello").build());

        assertThat(r.modelUsed()).isEqualTo("bge-chatty");
        assertThat(sim.journal().count("bge-chatty")).isEqualTo(1);
    }

    @Test
    void theRuleBasedReplyDoesNotAnswerAToolRequestUnlessTheRouteOptsIn() {
        sim.faults().set("gpt-a", "status=503");
        sim.faults().set("gpt-b", "status=503");

        assertThatThrownBy(() -> levee.complete(weather(null)))
                .isInstanceOfSatisfying(LeveeException.class,
                        e -> assertThat(e.kind()).isEqualTo(LeveeException.Kind.UNAVAILABLE));
        assertThat(levee.complete(weather("canned")).ruleBased()).isTrue();
    }

    @Test
    void aStreamCutInsideAToolCallEndsInAnErrorInsteadOfASplice() throws Exception {
        sim.faults().set("gpt-a", "cut_after=2");
        CompletableFuture<String> outcome = new CompletableFuture<>();
        StringBuilder arguments = new StringBuilder();
        levee.stream(weather(null), new StreamHandler() {
            @Override
            public void onChunk(ChatChunk chunk) {
                chunk.toolCalls().forEach(d -> arguments.append(d.arguments()));
            }

            @Override
            public void onComplete(ChatResponse response) {
                outcome.complete("completed");
            }

            @Override
            public void onError(LeveeException error) {
                outcome.complete("failed: " + error.getMessage());
            }
        });

        assertThat(outcome.get(5, TimeUnit.SECONDS)).startsWith("failed: the answer was interrupted");
        assertThat(arguments.toString()).isNotEmpty();
        assertThat(sim.journal().count("gpt-b")).isZero(); // a prefill tier was there, and not used
    }
}
