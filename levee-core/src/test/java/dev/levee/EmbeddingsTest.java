package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.config.ConfigException;
import dev.levee.simulator.Simulator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Embeddings on the request path, through the facade: one vector per input from the first tier that
 * can embed, a fallback when it fails, Anthropic tiers skipped as unable, a clear refusal when no
 * tier can, the asked dimensions, and routes whose tiers would change the vectors' length refused
 * at load.
 */
class EmbeddingsTest {
    private static Simulator sim;
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

    private Levee levee() {
        levee = Levee.builder().logRequests(false).config(TestSupport.config("""
                providers:
                  local: { type: ollama, base_url: "%1$s" }
                  remote: { type: openai, base_url: "%1$s/v1", api_key: sk-test-0000000000 }
                  claude: { type: anthropic, base_url: "%1$s", api_key: sk-ant-test-0000000000000000 }
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                  embed:
                    tiers:
                      - target: local/nomic-embed-text
                      - target: remote/nomic-embed-text:v1.5
                  mixed:
                    tiers:
                      - target: claude/claude-haiku
                      - target: remote/text-embedding-3-small
                        dimensions: 256
                pricing:
                  nomic-embed-text: { input: 1, output: 0 }
                resilience:
                  retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl()))).build();
        return levee;
    }

    @Test
    void eachInputGetsAVectorFromTheFirstTierWithUsageAndCost() {
        ChatResponse r = levee().complete(ChatRequest.embeddings("embed", EmbeddingInput.of("rivers", "valleys")));
        assertThat(r.embeddings()).hasSize(2);
        assertThat(r.embeddings().get(0)).hasSize(768);
        assertThat(r.embeddings().get(0)).isNotEqualTo(r.embeddings().get(1));
        assertThat(r.modelUsed()).isEqualTo("nomic-embed-text");
        assertThat(r.fallbackLevel()).isZero();
        assertThat(r.usage().promptTokens()).as("the provider's count").isEqualTo(
                dev.levee.internal.tokens.TokenEstimator.count("rivers") + dev.levee.internal.tokens.TokenEstimator.count("valleys"));
        assertThat(r.usage().completionTokens()).isZero();
        assertThat(r.usage().estimated()).isFalse();
        ChatResponse again = levee.complete(ChatRequest.embeddings("embed", EmbeddingInput.of("rivers")));
        assertThat(again.embeddings().get(0)).as("the same text, the same vector").isEqualTo(r.embeddings().get(0));
    }

    @Test
    void aFailingTierFallsBackToTheNextThatCanEmbed() {
        sim.faults().set("nomic-embed-text", "status=503");
        ChatResponse r = levee().complete(ChatRequest.embeddings("embed", EmbeddingInput.of("rivers")));
        assertThat(r.fallbackLevel()).isEqualTo(1);
        assertThat(r.embeddings().get(0)).hasSize(768);
        assertThat(r.attempts()).extracting(Attempt::target, Attempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("local/nomic-embed-text", Attempt.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("remote/nomic-embed-text:v1.5", Attempt.Outcome.SUCCEEDED));

        sim.faults().set("nomic-embed-text:v1.5", "status=503");
        assertThatThrownBy(() -> levee.complete(ChatRequest.embeddings("embed", EmbeddingInput.of("x"))))
                .isInstanceOf(LeveeException.class).satisfies(e -> assertThat(((LeveeException) e).kind())
                        .as("no canned text stands in for a vector").isEqualTo(LeveeException.Kind.UNAVAILABLE));
    }

    @Test
    void aTierThatCannotEmbedIsSkippedAndATiersDimensionsAreAskedFor() {
        ChatResponse r = levee().complete(ChatRequest.embeddings("mixed", EmbeddingInput.of("a", "b", "c")));
        assertThat(r.fallbackLevel()).isEqualTo(1);
        assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED_UNSUPPORTED);
        assertThat(r.embeddings()).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(256));
        ChatResponse asked = levee.complete(ChatRequest.embeddings("mixed", new EmbeddingInput(List.of("a"), 64)));
        assertThat(asked.embeddings().get(0)).as("the request's own dimensions win").hasSize(64);
    }

    @Test
    void aRouteWithNoTierThatCanEmbedIsACallerErrorNamingInput() {
        assertThatThrownBy(() -> levee().complete(ChatRequest.embeddings("default", EmbeddingInput.of("x"))))
                .isInstanceOf(LeveeException.class)
                .satisfies(e -> {
                    LeveeException le = (LeveeException) e;
                    assertThat(le.kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST);
                    assertThat(le.param()).isEqualTo("input");
                    assertThat(le.getMessage()).contains("local/gemma3:4b has no embeddings");
                });
        assertThatThrownBy(() -> levee.stream(ChatRequest.embeddings("embed", EmbeddingInput.of("x")),
                new StreamHandler() {
                    @Override
                    public void onChunk(ChatChunk chunk) {
                    }

                    @Override
                    public void onComplete(ChatResponse response) {
                    }

                    @Override
                    public void onError(LeveeException error) {
                        throw error;
                    }
                }).completion().join()).hasMessageContaining("cannot be streamed");
        assertThatThrownBy(() -> EmbeddingInput.of("")).hasMessageContaining("empty");
    }

    @Test
    void tiersThatWouldChangeTheVectorsLengthAreRefusedAtLoad() {
        String route = """
                providers:
                  remote: { type: openai, base_url: "http://127.0.0.1:9/v1" }
                routes:
                  default:
                    tiers:
                      - target: remote/text-embedding-3-small
                      - target: remote/nomic-embed-text%s
                """;
        assertThatThrownBy(() -> TestSupport.config(route.formatted("")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes.default.tiers")
                .hasMessageContaining("remote/text-embedding-3-small: 1536")
                .hasMessageContaining("remote/nomic-embed-text: 768");
        assertThat(TestSupport.config(route.formatted("") .replace("text-embedding-3-small",
                "text-embedding-3-small\n        dimensions: 768")).route("default").tiers()).hasSize(2);
        assertThatThrownBy(() -> TestSupport.config("""
                providers:
                  remote: { type: openai, base_url: "http://127.0.0.1:9/v1" }
                routes:
                  default:
                    tiers:
                      - target: remote/gpt-4o
                        dimensions: 64
                """)).hasMessageContaining("is for embedding models");
    }
}
