package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.levee.simulator.ReceivedRequest.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JournalTest {

    private static Simulator simulator;
    private static TestClient client;

    @BeforeAll
    static void start() {
        simulator = Simulator.start(SimulatorConfig.builder().defaultLatency(Latency.NONE).build());
        client = new TestClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @AfterEach
    void clear() {
        simulator.journal().clear();
    }

    @Test
    void largeBodiesPushOlderRequestsOutSoTheJournalStaysBoundedInBytes() {
        client.post("/v1/chat/completions", TestClient.openAiBody("gpt-4o", "small", false, ""), Map.of());
        for (int i = 1; i <= 3; i++) { // 3 MB each: three do not fit in the journal's 8 MiB of bodies
            client.post("/v1/chat/completions", TestClient.openAiBody("gpt-4o", "prompt " + i + " " + "x".repeat(3_000_000),
                    false, ""), Map.of());
        }

        assertThat(simulator.journal().all()).as("the newest two, and nothing older")
                .extracting(r -> r.body().path("messages").get(0).path("content").asText().substring(0, 8))
                .containsExactly("prompt 2", "prompt 3");
        assertThat(simulator.journal().last().orElseThrow().outcome()).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void recordsBodyAndHeadersWithSecretsMasked() {
        Instant before = Instant.now();
        client.post("/v1/chat/completions", TestClient.openAiBody("gpt-4o", "Hi there", false, ",\"temperature\":0.7"),
                Map.of("Authorization", "Bearer sk-secret", "api-key", "azure-secret", "X-Api-Key", "other-secret",
                        "X-Request-Id", "req-1"));

        ReceivedRequest request = simulator.journal().last().orElseThrow();
        assertThat(request.api()).isEqualTo("openai");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.model()).isEqualTo("gpt-4o");
        assertThat(request.stream()).isFalse();
        assertThat(request.receivedAt()).isAfterOrEqualTo(before.minusMillis(1));
        assertThat(request.body().path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(request.body().path("messages").get(0).path("content").asText()).isEqualTo("Hi there");
        assertThat(request.headers())
                .containsEntry("authorization", "***")
                .containsEntry("api-key", "***")
                .containsEntry("x-api-key", "***")
                .containsEntry("x-request-id", "req-1");
        assertThat(request.headers().toString()).doesNotContain("secret");
        assertThat(request.outcome()).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void recordsTheApiOfEachEndpointAndOllamasStreamDefault() {
        client.post("/api/chat", TestClient.ollamaBody("llama3.2", "Hi", ""));
        client.post("/v1/messages", TestClient.anthropicBody("claude", "Hi", 50, false), TestClient.ANTHROPIC_HEADERS);

        assertThat(simulator.journal().all()).extracting(ReceivedRequest::api, ReceivedRequest::stream)
                .containsExactly(tuple("ollama", true),
                        tuple("anthropic", false));
    }

    @Test
    void recordsInvalidRequestsAsRejectedWithTheRawBody() {
        client.post("/v1/chat/completions", "{broken");

        ReceivedRequest request = simulator.journal().last().orElseThrow();
        assertThat(request.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(request.body().asText()).isEqualTo("{broken");
        assertThat(request.model()).isEmpty();
    }

    @Test
    void filtersAndCountsByModel() throws Exception {
        client.post("/v1/chat/completions", TestClient.openAiBody("a", "one", false, ""));
        client.post("/v1/chat/completions", TestClient.openAiBody("b", "two", false, ""));
        client.post("/v1/chat/completions", TestClient.openAiBody("a", "three", false, ""));

        assertThat(simulator.journal().count("a")).isEqualTo(2);
        assertThat(simulator.journal().forModel("b")).hasSize(1);
        assertThat(simulator.journal().awaitCount("a", 2, Duration.ofSeconds(1))).hasSize(2);
        simulator.journal().clear();
        assertThat(simulator.journal().all()).isEmpty();
    }
}
