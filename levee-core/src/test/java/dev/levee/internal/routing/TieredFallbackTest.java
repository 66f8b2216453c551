package dev.levee.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.simulator.ResponseGenerator;
import dev.levee.simulator.Simulator;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each tier answers with its parameter caps applied, as the simulator received them. */
class TieredFallbackTest {
    private static Simulator sim;
    private static Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
        levee = TestSupport.levee(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/gemma3:4b
                      - target: sim/gemma3:1b
                        max_tokens: 50
                        temperature: 0.3
                      - target: sim/gemma:2b
                        max_tokens: 30
                        temperature: 0.1
                  strict:
                    tiers:
                      - target: sim/gemma3:4b
                    rule_based_fallback: false
                  lenient:
                    tiers:
                      - target: sim/gemma3:4b
                      - target: sim/gemma3:1b
                    content_filter: fallback
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                """), Clock.systemUTC());
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

    private static JsonNode lastBody(String model) {
        var received = sim.journal().forModel(model);
        return received.get(received.size() - 1).body();
    }

    @Test
    void primaryAnswersWithTheCallersParameters() {
        ChatResponse r = levee.complete(ChatRequest.builder().user("Explain circuit breakers")
                .maxTokens(400).temperature(0.9).build());

        assertThat(r.modelUsed()).isEqualTo("gemma3:4b");
        assertThat(r.fallbackUsed()).isFalse();
        assertThat(r.text()).isEqualTo(ResponseGenerator.answerFor("Explain circuit breakers"));
        assertThat(lastBody("gemma3:4b").path("options").path("num_predict").asInt()).isEqualTo(400);
        assertThat(lastBody("gemma3:4b").path("options").path("temperature").asDouble()).isEqualTo(0.9);
    }

    @Test
    void firstFallbackAnswersWithItsCapsWhenThePrimaryFails() {
        sim.faults().set("gemma3:4b", "status=500");

        ChatResponse r = levee.complete(ChatRequest.builder().user("Capital of France?")
                .maxTokens(400).temperature(0.9).build());

        assertThat(r.modelUsed()).isEqualTo("gemma3:1b");
        assertThat(r.fallbackUsed()).isTrue();
        assertThat(r.fallbackLevel()).isEqualTo(1);
        JsonNode options = lastBody("gemma3:1b").path("options");
        assertThat(options.path("num_predict").asInt()).isEqualTo(50);
        assertThat(options.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(r.usage().completionTokens()).isLessThanOrEqualTo(50);
    }

    @Test
    void aTierCapNeverRaisesTheCallersLimit() {
        sim.faults().set("gemma3:4b", "status=500");
        levee.complete(ChatRequest.builder().user("short please").maxTokens(20).build());
        assertThat(lastBody("gemma3:1b").path("options").path("num_predict").asInt()).isEqualTo(20);
    }

    @Test
    void secondFallbackAnswersWithItsTighterCaps() {
        sim.faults().set("gemma3:4b", "status=500");
        sim.faults().set("gemma3:1b", "reset");

        ChatResponse r = levee.process("Tell me about levees");

        assertThat(r.modelUsed()).isEqualTo("gemma:2b");
        assertThat(r.fallbackLevel()).isEqualTo(2);
        JsonNode options = lastBody("gemma:2b").path("options");
        assertThat(options.path("num_predict").asInt()).isEqualTo(30);
        assertThat(options.path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(r.attempts()).extracting(a -> a.target())
                .containsExactly("sim/gemma3:4b", "sim/gemma3:1b", "sim/gemma:2b");
    }

    @Test
    void allTiersFailingGiveTheRuleBasedReplyForAKeyword() {
        sim.faults().set("*", "status=503");

        ChatResponse r = levee.process("Can you help me with my taxes?");

        assertThat(r.modelUsed()).isEqualTo(ChatResponse.RULE_BASED);
        assertThat(r.text()).isEqualTo("I'd like to help, but I'm currently in fallback mode with limited capabilities.");
        assertThat(r.fallbackLevel()).isEqualTo(3);
        assertThat(r.fallbackUsed()).isTrue();
        assertThat(r.tokensUsed()).isZero();
        assertThat(sim.journal().count("gemma3:4b")).isEqualTo(1);
        assertThat(sim.journal().count("gemma:2b")).isEqualTo(1);
    }

    @Test
    void ruleBasedReplyWithoutAKeywordIsOneOfTheGenericReplies() {
        ChatResponse r = levee.process("zzz", CallOptions.builder().forceAllModelsFail(true).build());
        assertThat(r.text()).isIn(
                "I'm sorry, I'm having trouble processing your request right now.",
                "Our AI service is currently experiencing issues. Please try again later.",
                "I apologize, but I'm unable to generate a response at this moment.");
        assertThat(sim.journal().all()).isEmpty();
    }

    @Test
    void forcedFailureOfTheFirstFallbackSkipsOnlyThatTier() {
        sim.faults().set("gemma3:4b", "status=500");
        ChatResponse r = levee.process("hi", CallOptions.builder().forceFailTiers(java.util.Set.of(1)).build());
        assertThat(r.modelUsed()).isEqualTo("gemma:2b");
        assertThat(sim.journal().count("gemma3:1b")).isZero();
    }

    @Test
    void aRouteWithoutRuleBasedReplyFailsWithUnavailable() {
        sim.faults().set("gemma3:4b", "status=503");
        var error = org.assertj.core.api.Assertions.catchThrowableOfType(dev.levee.LeveeException.class,
                () -> levee.complete(ChatRequest.builder().route("strict").user("x").build()));
        assertThat(error.kind()).isEqualTo(dev.levee.LeveeException.Kind.UNAVAILABLE);
        assertThat(error.getMessage()).contains("strict").contains("503");
        assertThat(error.code()).isEqualTo("no_tier_available");
    }

    @Test
    void aContentPolicyRefusalIsReturnedWithoutFallingBack() {
        sim.faults().set("gemma3:4b", "content_filter");
        var error = org.assertj.core.api.Assertions.catchThrowableOfType(dev.levee.LeveeException.class,
                () -> levee.process("something the provider refuses"));
        assertThat(error.kind()).isEqualTo(dev.levee.LeveeException.Kind.CONTENT_POLICY);
        assertThat(sim.journal().count("gemma3:4b")).isEqualTo(1);
        assertThat(sim.journal().count("gemma3:1b")).isZero();
    }

    @Test
    void aRouteMayOptInToFallingBackAfterARefusal() {
        sim.faults().set("gemma3:4b", "content_filter");
        ChatResponse r = levee.complete(ChatRequest.builder().route("lenient").user("refused upstream").build());
        assertThat(r.modelUsed()).isEqualTo("gemma3:1b");
    }

    @Test
    void anUnknownRouteIsRefused() {
        var error = org.assertj.core.api.Assertions.catchThrowableOfType(dev.levee.LeveeException.class,
                () -> levee.complete(ChatRequest.builder().route("nope").user("x").build()));
        assertThat(error.kind()).isEqualTo(dev.levee.LeveeException.Kind.UNKNOWN_ROUTE);
        assertThat(sim.journal().all()).isEmpty();
    }

    @Test
    void anInvalidRequestIsRefusedBeforeAnyUpstreamCall() {
        var error = org.assertj.core.api.Assertions.catchThrowableOfType(dev.levee.LeveeException.class,
                () -> levee.complete(ChatRequest.builder().user("x").temperature(3.0).build()));
        assertThat(error.kind()).isEqualTo(dev.levee.LeveeException.Kind.INVALID_REQUEST);
        assertThat(error.getMessage()).contains("temperature");
        assertThat(sim.journal().all()).isEmpty();
    }

    @Test
    void processRefusesToBlockAnEventLoop() throws Exception {
        var failure = new java.util.concurrent.CompletableFuture<Throwable>();
        levee.vertx().runOnContext(v -> {
            try {
                levee.process("x");
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        assertThat(failure.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
        Thread.sleep(200);
        assertThat(sim.journal().all()).as("a refused call sends nothing").isEmpty();
    }
}
