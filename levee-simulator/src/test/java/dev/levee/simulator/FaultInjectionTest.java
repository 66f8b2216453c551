package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.simulator.RawHttp.End;
import dev.levee.simulator.ReceivedRequest.Outcome;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultInjectionTest {

    private static final String OPENAI = "/v1/chat/completions";
    private static final String PROMPT = "Summarize the causes of ocean tides";
    private static final String ANSWER = ResponseGenerator.answerFor(PROMPT);
    private static final Duration WAIT = Duration.ofSeconds(10);

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
    void reset() {
        simulator.faults().clearAll();
        simulator.journal().clear();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/v1/chat/completions | 503 | error.type    | server_error",
        "/v1/messages         | 529 | error.type    | overloaded_error",
        "/v1/messages         | 500 | error.type    | api_error",
        "/api/chat            | 500 | error         | The server had an error while processing your request. (simulated)",
    })
    void statusFaultAnswersInTheApisErrorFormat(String path, int status, String field, String expected) {
        TestClient.Response response = post(path, false, "status=" + status);

        assertThat(response.status()).isEqualTo(status);
        JsonNode node = response.json();
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        assertThat(node.asText()).isEqualTo(expected);
        assertThat(simulator.journal().last().orElseThrow().outcome()).isEqualTo(Outcome.FAULTED);
    }

    @Test
    void modelRuleFromConfigAppliesFromStartup() {
        try (Simulator configured = Simulator.start(SimulatorConfig.builder().defaultLatency(Latency.NONE)
                .fault("always-broken", "status=500").build())) {
            TestClient.Response response = new TestClient(configured).post(OPENAI,
                    TestClient.openAiBody("always-broken", PROMPT, false, ""));

            assertThat(response.status()).isEqualTo(500);
            assertThat(configured.faults().forModel("always-broken")).contains(FaultSpec.parse("status=500"));
        }
    }

    @Test
    void rateFaultsARepeatableFractionWithASeededRandom() {
        simulator.faults().set("flaky", "status=500,rate=0.3");

        simulator.faults().seed(42);
        List<Integer> first = statuses("flaky", 40);
        simulator.faults().seed(42);
        List<Integer> second = statuses("flaky", 40);

        assertThat(first).isEqualTo(second).containsOnly(200, 500);
        assertThat(first.stream().filter(s -> s == 500).count()).isBetween(4L, 24L);
    }

    @Test
    void retryAfterGives429WithRetryAfterHeader() {
        TestClient.Response response = post(OPENAI, false, "retry_after=2");

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.headers()).containsEntry("retry-after", "2");
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void anthropicRateLimitIsRateLimitError() {
        TestClient.Response response = post("/v1/messages", false, "status=429,retry_after=7");

        assertThat(response.headers()).containsEntry("retry-after", "7");
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void resetDropsTheConnectionBeforeAnyHeader() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), OPENAI, TestClient.openAiBody("m", PROMPT, true, ""),
                Map.of("X-Simulator-Fault", "reset"))) {
            RawHttp.Reply reply = raw.read(WAIT);

            assertThat(reply.status()).isZero();
            assertThat(reply.end()).isEqualTo(End.RESET);
        }
        assertThat(simulator.journal().last().orElseThrow().outcome()).isEqualTo(Outcome.FAULTED);
    }

    @Test
    void hangNeverAnswersAndTheClientTimeoutIsRecordedAsCancelled() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + OPENAI))
                .timeout(Duration.ofMillis(300))
                .header("X-Simulator-Fault", "hang")
                .POST(HttpRequest.BodyPublishers.ofString(TestClient.openAiBody("m", PROMPT, false, "")))
                .build();

        assertThatThrownBy(() -> client.http().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        simulator.journal().await(r -> r.outcome() == Outcome.CANCELLED, WAIT);
        await().atMost(WAIT).until(() -> simulator.inFlight() == 0);
    }

    @Test
    void ttftHoldsBackEverythingUntilTheFirstToken() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), OPENAI, TestClient.openAiBody("m", PROMPT, true, ""),
                Map.of("X-Simulator-Fault", "ttft=400"))) {
            RawHttp.Reply reply = raw.read(WAIT);

            assertThat(reply.headersAtMillis()).isGreaterThanOrEqualTo(400);
            assertThat(reply.end()).isEqualTo(End.COMPLETE);
        }
    }

    @Test
    void tokenMsSpacesThePieces() {
        long start = System.nanoTime();
        TestClient.Response response = post(OPENAI, true, "token_ms=25", ",\"max_tokens\":12");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        int pieces = response.sseData().size() - 2;
        assertThat(pieces).isGreaterThan(4);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(25L * (pieces - 1));
    }

    @Test
    void cutAfterDropsTheConnectionAfterNPieces() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), OPENAI, TestClient.openAiBody("m", PROMPT, true, ""),
                Map.of("X-Simulator-Fault", "cut_after=3"))) {
            RawHttp.Reply reply = raw.read(WAIT);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.end()).isEqualTo(End.RESET);
            List<JsonNode> chunks = new TestClient.Response(200, Map.of(), reply.body()).sseData();
            assertThat(chunks).hasSize(4);
            assertThat(OpenAiApiTest.content(chunks)).isEqualTo(firstPieces(3));
            assertThat(reply.body()).doesNotContain("[DONE]", "finish_reason\":\"stop");
        }
        assertThat(simulator.journal().last().orElseThrow().outcome()).isEqualTo(Outcome.FAULTED);
    }

    @Test
    void cutAfterOnANonStreamRequestResetsTheConnection() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), "/api/chat",
                TestClient.ollamaBody("m", PROMPT, ",\"stream\":false"), Map.of("X-Simulator-Fault", "cut_after=3"))) {
            RawHttp.Reply reply = raw.read(WAIT);

            assertThat(reply.status()).isZero();
            assertThat(reply.end()).isEqualTo(End.RESET);
        }
    }

    @Test
    void stallAfterStopsSendingButKeepsTheConnectionOpen() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), "/api/chat", TestClient.ollamaBody("m", PROMPT, ""),
                Map.of("X-Simulator-Fault", "stall_after=2"))) {
            RawHttp.Reply reply = raw.read(Duration.ofMillis(600));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.end()).isEqualTo(End.TIMEOUT);
            assertThat(new TestClient.Response(200, Map.of(), reply.body()).ndjson()).hasSize(2);
            assertThat(simulator.journal().last().orElseThrow().outcome()).isEqualTo(Outcome.IN_PROGRESS);
        }
        simulator.journal().await(r -> r.outcome() == Outcome.CANCELLED, WAIT);
    }

    @Test
    void malformedAtSendsOneBrokenChunkBeforePieceNThenCarriesOn() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), OPENAI, TestClient.openAiBody("m", PROMPT, true, ""),
                Map.of("X-Simulator-Fault", "malformed_at=2"))) {
            RawHttp.Reply reply = raw.read(WAIT);

            assertThat(reply.end()).isEqualTo(End.COMPLETE);
            List<TestClient.SseEvent> events = TestClient.SseEvent.parse(reply.body());
            List<String> broken = new ArrayList<>();
            StringBuilder content = new StringBuilder();
            for (TestClient.SseEvent event : events) {
                if (event.data().equals("[DONE]")) {
                    continue;
                }
                try {
                    TestClient.parse(event.data()).path("choices")
                            .forEach(c -> content.append(c.path("delta").path("content").asText("")));
                } catch (RuntimeException e) {
                    broken.add(event.data());
                }
            }
            assertThat(broken).hasSize(1);
            assertThat(events.indexOf(new TestClient.SseEvent(null, broken.get(0)))).isEqualTo(3);
            assertThat(content.toString()).isEqualTo(ANSWER);
            assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        }
    }

    @Test
    void malformedAtOnNdjsonBreaksOneLine() {
        TestClient.Response response = post("/api/chat", true, "malformed_at=0");

        String[] lines = response.body().split("\n");
        assertThat(lines[0]).startsWith("{").doesNotEndWith("}");
        assertThat(lines[lines.length - 1]).contains("\"done\":true");
    }

    @Test
    void errorAfterSendsAnOpenAiErrorChunkAndEndsTheStream() {
        TestClient.Response response = post(OPENAI, true, "error_after=4");

        List<JsonNode> chunks = response.sseData();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("[DONE]");
        assertThat(OpenAiApiTest.content(chunks)).isEqualTo(firstPieces(4));
        assertThat(chunks.get(chunks.size() - 1).path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(simulator.journal().last().orElseThrow().outcome()).isEqualTo(Outcome.FAULTED);
    }

    @Test
    void errorAfterSendsAnAnthropicErrorEventAndEndsTheStream() {
        TestClient.Response response = post("/v1/messages", true, "error_after=4");

        List<TestClient.SseEvent> events = response.sseEvents();
        TestClient.SseEvent last = events.get(events.size() - 1);
        assertThat(events.stream().filter(e -> "content_block_delta".equals(e.event()))).hasSize(4);
        assertThat(last.event()).isEqualTo("error");
        assertThat(TestClient.parse(last.data()).path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(response.body()).doesNotContain("message_stop");
    }

    @Test
    void errorAfterSendsAnOllamaErrorLineAndEndsTheStream() {
        TestClient.Response response = post("/api/chat", true, "error_after=4");

        List<JsonNode> lines = response.ndjson();
        assertThat(OllamaApiTest.content(lines)).isEqualTo(firstPieces(4));
        assertThat(lines.get(lines.size() - 1).path("error").asText()).isNotBlank();
        assertThat(lines).noneMatch(line -> line.path("done").asBoolean());
    }

    @Test
    void errorAfterOnANonStreamRequestIs500() {
        TestClient.Response response = post(OPENAI, false, "error_after=2");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("server_error");
    }

    @Test
    void noDoneEndsTheStreamCleanlyWithoutTheDoneMarker() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), OPENAI, TestClient.openAiBody("m", PROMPT, true,
                ",\"stream_options\":{\"include_usage\":true}"), Map.of("X-Simulator-Fault", "no_done"))) {
            RawHttp.Reply reply = raw.read(WAIT);

            assertThat(reply.end()).isEqualTo(End.COMPLETE);
            assertThat(reply.body()).contains("\"finish_reason\":\"stop\"", "\"usage\":").doesNotContain("[DONE]");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "context_length | 400 | context_length_exceeded",
        "content_filter | 400 | content_policy_violation",
        "not_found      | 404 | model_not_found",
        "unauthorized   | 401 | invalid_api_key",
    })
    void rejectionFaultsAnswerWithTheMatchingOpenAiError(String spec, int status, String code) {
        TestClient.Response response = post(OPENAI, true, spec);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo(code);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "context_length | 400 | invalid_request_error",
        "content_filter | 400 | invalid_request_error",
        "not_found      | 404 | not_found_error",
        "unauthorized   | 401 | authentication_error",
    })
    void rejectionFaultsAnswerWithTheMatchingAnthropicError(String spec, int status, String type) {
        TestClient.Response response = post("/v1/messages", false, spec);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo(type);
    }

    @Test
    void timesLimitsTheFaultToTheFirstNRequests() {
        simulator.faults().set("recovering", "status=503,times=2");

        assertThat(statuses("recovering", 4)).containsExactly(503, 503, 200, 200);
    }

    @Test
    void setStartsTheTimesCountAfresh() {
        simulator.faults().set("recovering", "status=503,times=1");
        statuses("recovering", 2);
        simulator.faults().set("recovering", "status=503,times=1");

        assertThat(statuses("recovering", 2)).containsExactly(503, 200);
    }

    @Test
    void headerFaultOverridesTheModelRule() {
        simulator.faults().set("m", "status=500");

        assertThat(post(OPENAI, false, "status=429").status()).isEqualTo(429);
        assertThat(post(OPENAI, false, "none").status()).isEqualTo(200);
        assertThat(client.post(OPENAI, TestClient.openAiBody("m", PROMPT, false, "")).status()).isEqualTo(500);
    }

    @Test
    void anyModelRuleAppliesToModelsWithoutTheirOwn() {
        simulator.faults().set(FaultRules.ANY_MODEL, "status=502");
        simulator.faults().set("healthy", "none");

        assertThat(statuses("whatever", 1)).containsExactly(502);
        assertThat(statuses("healthy", 1)).containsExactly(200);
        assertThat(simulator.faults().forModel("whatever")).contains(FaultSpec.parse("status=502"));
    }

    @Test
    void clearRemovesTheModelRule() {
        simulator.faults().set("m", "status=500");
        simulator.faults().clear("m");

        assertThat(statuses("m", 1)).containsExactly(200);
        assertThat(simulator.faults().forModel("m")).isEmpty();
    }

    @Test
    void badHeaderFaultIs400NamingTheItem() {
        TestClient.Response response = post(OPENAI, false, "status=503,explode");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText()).contains("X-Simulator-Fault", "explode");
    }

    @Test
    void headerFaultsAreIgnoredWhenNotAllowed() {
        try (Simulator strict = Simulator.start(SimulatorConfig.builder().defaultLatency(Latency.NONE)
                .allowHeaderFaults(false).build())) {
            TestClient.Response response = new TestClient(strict).post(OPENAI,
                    TestClient.openAiBody("m", PROMPT, false, ""), Map.of("X-Simulator-Fault", "status=503"));

            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void clientCancelMidStreamIsRecordedAndStopsTheRun() throws Exception {
        try (RawHttp raw = RawHttp.post(simulator.port(), OPENAI, TestClient.openAiBody("m", PROMPT, true, ""),
                Map.of("X-Simulator-Fault", "token_ms=400"))) {
            RawHttp.Reply reply = raw.read(Duration.ofMillis(250));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.end()).isEqualTo(End.TIMEOUT);
        }

        ReceivedRequest cancelled = simulator.journal().await(r -> r.outcome() == Outcome.CANCELLED, WAIT);
        assertThat(cancelled.stream()).isTrue();
        await().atMost(WAIT).until(() -> simulator.inFlight() == 0);
    }

    private static TestClient.Response post(String path, boolean stream, String fault) {
        return post(path, stream, fault, "");
    }

    private static TestClient.Response post(String path, boolean stream, String fault, String openAiExtra) {
        String body = switch (path) {
            case "/v1/messages" -> TestClient.anthropicBody("m", PROMPT, 1000, stream);
            case "/api/chat" -> TestClient.ollamaBody("m", PROMPT, ",\"stream\":" + stream);
            default -> TestClient.openAiBody("m", PROMPT, stream, openAiExtra);
        };
        Map<String, String> headers = new HashMap<>(TestClient.ANTHROPIC_HEADERS);
        headers.put("X-Simulator-Fault", fault);
        return client.post(path, body, headers);
    }

    private static String firstPieces(int n) {
        return String.join("", ResponseGenerator.pieces(ANSWER).subList(0, n));
    }

    private static List<Integer> statuses(String model, int n) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(client.post(OPENAI, TestClient.openAiBody(model, PROMPT, false, "")).status());
        }
        return statuses;
    }
}
