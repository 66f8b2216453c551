package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicApiTest {

    private static final String PATH = "/v1/messages";
    private static final String PROMPT = "How does photosynthesis store energy in plants?";
    private static final String MODEL = "claude-sonnet-4-5";

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

    @Test
    void nonStreamReturnsMessageWithTextBlockAndUsage() {
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":1024,\"system\":\"Be brief.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":" + TestClient.quote(PROMPT) + "}]}";

        TestClient.Response response = client.post(PATH, body, TestClient.ANTHROPIC_HEADERS);

        assertThat(response.status()).isEqualTo(200);
        JsonNode json = response.json();
        String answer = ResponseGenerator.answerFor(PROMPT);
        assertThat(json.path("id").asText()).startsWith("msg_");
        assertThat(json.path("type").asText()).isEqualTo("message");
        assertThat(json.path("role").asText()).isEqualTo("assistant");
        assertThat(json.path("model").asText()).isEqualTo(MODEL);
        assertThat(json.path("content")).hasSize(1);
        assertThat(json.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(json.path("content").get(0).path("text").asText()).isEqualTo(answer);
        assertThat(json.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(json.path("stop_sequence").isNull()).isTrue();
        assertThat(json.path("usage").path("input_tokens").asInt()).isEqualTo(Cl100k.prompt("Be brief.", PROMPT));
        assertThat(json.path("usage").path("output_tokens").asInt()).isEqualTo(Cl100k.count(answer));
    }

    @Test
    void systemGivenAsTextBlocksCountsLikeAString() {
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":1024,"
                + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                + TestClient.quote(PROMPT) + "}]}]}";

        JsonNode json = client.post(PATH, body, TestClient.ANTHROPIC_HEADERS).json();

        assertThat(json.path("usage").path("input_tokens").asInt()).isEqualTo(Cl100k.prompt("Be brief.", PROMPT));
        assertThat(json.path("content").get(0).path("text").asText()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    @Test
    void streamSendsNamedEventsFromMessageStartToMessageStop() {
        TestClient.Response response = client.post(PATH, TestClient.anthropicBody(MODEL, PROMPT, 1024, true),
                TestClient.ANTHROPIC_HEADERS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-type")).startsWith("text/event-stream");
        List<TestClient.SseEvent> events = response.sseEvents();
        String answer = ResponseGenerator.answerFor(PROMPT);
        int pieces = answer.split(" ").length;
        List<String> names = events.stream().map(TestClient.SseEvent::event).toList();
        assertThat(names.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
        assertThat(names.subList(3, 3 + pieces)).containsOnly("content_block_delta");
        assertThat(names.subList(3 + pieces, names.size()))
                .containsExactly("content_block_stop", "message_delta", "message_stop");
        events.forEach(e -> assertThat(TestClient.parse(e.data()).path("type").asText()).isEqualTo(e.event()));
        JsonNode start = TestClient.parse(events.get(0).data()).path("message");
        assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(Cl100k.prompt(PROMPT));
        assertThat(start.path("usage").path("output_tokens").asInt()).isEqualTo(1);
        assertThat(start.path("content").isEmpty()).isTrue();
        StringBuilder text = new StringBuilder();
        events.subList(3, 3 + pieces).forEach(e -> {
            JsonNode delta = TestClient.parse(e.data()).path("delta");
            assertThat(delta.path("type").asText()).isEqualTo("text_delta");
            text.append(delta.path("text").asText());
        });
        assertThat(text.toString()).isEqualTo(answer);
        JsonNode messageDelta = TestClient.parse(events.get(events.size() - 2).data());
        assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isEqualTo(Cl100k.count(answer));
    }

    @Test
    void maxTokensCapGivesMaxTokensStopReason() {
        JsonNode json = client.post(PATH, TestClient.anthropicBody(MODEL, PROMPT, 9, false),
                TestClient.ANTHROPIC_HEADERS).json();

        String text = json.path("content").get(0).path("text").asText();
        assertThat(json.path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(json.path("usage").path("output_tokens").asInt()).isEqualTo(Cl100k.count(text))
                .isLessThanOrEqualTo(9);
        assertThat(ResponseGenerator.answerFor(PROMPT)).startsWith(text);
    }

    @Test
    void missingApiKeyIs401AuthenticationError() {
        TestClient.Response response = client.post(PATH, TestClient.anthropicBody(MODEL, PROMPT, 100, false),
                Map.of("anthropic-version", "2023-06-01"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("type").asText()).isEqualTo("error");
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(response.json().path("error").path("message").asText()).contains("x-api-key");
    }

    @Test
    void missingVersionHeaderIs400InvalidRequestError() {
        TestClient.Response response = client.post(PATH, TestClient.anthropicBody(MODEL, PROMPT, 100, false),
                Map.of("x-api-key", "sk-ant-test"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(response.json().path("error").path("message").asText()).contains("anthropic-version");
    }

    @Test
    void missingMaxTokensIs400InvalidRequestError() {
        String body = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        TestClient.Response response = client.post(PATH, body, TestClient.ANTHROPIC_HEADERS);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(response.json().path("error").path("message").asText()).contains("max_tokens");
    }

    @Test
    void systemRoleInsideMessagesIs400() {
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}";

        assertThat(client.post(PATH, body, TestClient.ANTHROPIC_HEADERS).status()).isEqualTo(400);
    }
}
