package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.simulator.RawHttp.End;
import dev.levee.simulator.ReceivedRequest.Outcome;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    private static Simulator simulator;
    private static TestClient client;

    @BeforeAll
    static void start() {
        simulator = Simulator.start(SimulatorConfig.builder()
                .defaultLatency(Latency.NONE)
                .latency("slow-model", Latency.ofMillis(300, 0))
                .build());
        client = new TestClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void listensOnAnEphemeralLoopbackPort() {
        assertThat(simulator.port()).isPositive();
        assertThat(simulator.baseUrl()).isEqualTo("http://127.0.0.1:" + simulator.port());
    }

    @Test
    void healthIsOk() {
        TestClient.Response response = client.get("/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void unknownRouteIs404Json() {
        TestClient.Response response = client.post("/v2/nothing", "{}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("error").path("message").asText()).contains("/v2/nothing");
    }

    @Test
    void wrongMethodIs405() {
        assertThat(client.get("/v1/chat/completions").status()).isEqualTo(405);
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), "/v1/chat/completions", "",
                Map.of("Content-Length", String.valueOf(BodyReader.LIMIT + 1)))) {
            RawHttp.Reply reply = raw.read(Duration.ofSeconds(10));

            assertThat(reply.status()).isEqualTo(413);
            assertThat(TestClient.parse(reply.body()).path("error").path("message").asText()).contains("limit");
        }
    }

    @Test
    void latencyByModelOverridesTheDefault() {
        long start = System.nanoTime();
        client.post("/v1/chat/completions", TestClient.openAiBody("slow-model", "Hi", false, ""));

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void startsOnACallersVertxAndLeavesItRunning() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Simulator own = Simulator.start(vertx, SimulatorConfig.builder().defaultLatency(Latency.NONE).build())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(new TestClient(own).get("/health").status()).isEqualTo(200);

            own.closeAsync().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(vertx.setTimer(1, id -> { })).isNotNegative();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeAsyncOfAStandaloneSimulatorCompletes() throws Exception {
        Simulator standalone = Simulator.start(SimulatorConfig.defaults());

        standalone.closeAsync().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void servesTwoHundredConcurrentStreams() {
        List<CompletableFuture<HttpResponse<String>>> streams = IntStream.range(0, 200)
                .mapToObj(i -> HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30))
                        .header("X-Simulator-Fault", "ttft=50,token_ms=10")
                        .POST(HttpRequest.BodyPublishers.ofString(TestClient.openAiBody("load", "Question " + i, true,
                                ",\"max_tokens\":15")))
                        .build())
                .map(request -> client.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .toList();

        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).join();

        assertThat(streams).allSatisfy(f -> assertThat(f.join().body()).endsWith("data: [DONE]\n\n"));
        assertThat(simulator.journal().forModel("load")).hasSize(200)
                .allMatch(r -> r.outcome() == Outcome.COMPLETED);
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.inFlight() == 0);
    }

    @Test
    void keepAliveConnectionServesSeveralRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            JsonNode json = client.post("/v1/chat/completions", TestClient.openAiBody("m", "Q" + i, false, "")).json();
            assertThat(json.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        }
    }

    @Test
    void rawClientSeesACompleteChunkedStream() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), "/api/chat", TestClient.ollamaBody("m", "Hi", ""), Map.of())) {
            RawHttp.Reply reply = raw.read(Duration.ofSeconds(10));

            assertThat(reply.end()).isEqualTo(End.COMPLETE);
            assertThat(reply.headers()).containsEntry("transfer-encoding", "chunked");
        }
    }
}
