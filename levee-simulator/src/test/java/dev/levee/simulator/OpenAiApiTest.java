package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiApiTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String PROMPT = "Explain how rivers shape valleys through erosion";

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
    void nonStreamReturnsChatCompletionWithJtokkitUsage() {
        String body = "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":" + TestClient.quote(PROMPT) + "}]}";

        TestClient.Response response = client.post(PATH, body);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("content-type", "application/json").containsKey("content-length");
        JsonNode json = response.json();
        String answer = ResponseGenerator.answerFor(PROMPT);
        assertThat(json.path("id").asText()).startsWith("chatcmpl-");
        assertThat(json.path("object").asText()).isEqualTo("chat.completion");
        assertThat(json.path("created").asLong()).isPositive();
        assertThat(json.path("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode choice = json.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo(answer);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = json.path("usage");
        int prompt = Cl100k.prompt("You are terse.", PROMPT);
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(prompt);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(Cl100k.count(answer));
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(prompt + Cl100k.count(answer));
    }

    @Test
    void streamSendsRoleChunkOnePiecePerChunkFinishUsageAndDone() {
        String body = TestClient.openAiBody("gpt-4o", PROMPT, true, ",\"stream_options\":{\"include_usage\":true}");

        TestClient.Response response = client.post(PATH, body);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-type")).startsWith("text/event-stream");
        assertThat(response.headers()).doesNotContainKey("content-length");
        List<TestClient.SseEvent> events = response.sseEvents();
        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = response.sseData();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
            assertThat(c.path("model").asText()).isEqualTo("gpt-4o");
        });
        JsonNode first = chunks.get(0).path("choices").get(0);
        assertThat(first.path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(first.path("delta").path("content").asText()).isEmpty();
        List<JsonNode> pieces = chunks.subList(1, chunks.size() - 2);
        String answer = ResponseGenerator.answerFor(PROMPT);
        assertThat(pieces).hasSize(answer.split(" ").length);
        assertThat(content(pieces)).isEqualTo(answer);
        JsonNode finish = chunks.get(chunks.size() - 2).path("choices").get(0);
        assertThat(finish.path("delta").isEmpty()).isTrue();
        assertThat(finish.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(Cl100k.count(answer));
        assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(Cl100k.prompt(PROMPT));
    }

    @Test
    void streamWithoutIncludeUsageSendsNoUsageChunk() {
        TestClient.Response response = client.post(PATH, TestClient.openAiBody("gpt-4o", PROMPT, true, ""));

        List<JsonNode> chunks = response.sseData();
        assertThat(chunks).noneMatch(c -> c.has("usage"));
        assertThat(chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").asText())
                .isEqualTo("stop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_tokens", "max_completion_tokens"})
    void tokenCapTruncatesAnswerWithLengthFinishReason(String field) {
        TestClient.Response response = client.post(PATH,
                TestClient.openAiBody("gpt-4o", PROMPT, false, ",\"" + field + "\":10"));

        JsonNode json = response.json();
        String content = json.path("choices").get(0).path("message").path("content").asText();
        assertThat(json.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(ResponseGenerator.answerFor(PROMPT)).startsWith(content);
        assertThat(Cl100k.count(content)).isBetween(7, 10);
        assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(Cl100k.count(content));
    }

    @Test
    void streamedTokenCapEndsWithLengthFinishReason() {
        TestClient.Response response = client.post(PATH, TestClient.openAiBody("gpt-4o", PROMPT, true,
                ",\"max_tokens\":12,\"stream_options\":{\"include_usage\":true}"));

        List<JsonNode> chunks = response.sseData();
        String content = content(chunks);
        assertThat(chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText())
                .isEqualTo("length");
        assertThat(chunks.get(chunks.size() - 1).path("usage").path("completion_tokens").asInt())
                .isEqualTo(Cl100k.count(content))
                .isLessThanOrEqualTo(12);
    }

    @Test
    void arrayContentPartsCountAsText() {
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":" + TestClient.quote(PROMPT) + "}]}]}";

        JsonNode json = client.post(PATH, body).json();

        assertThat(json.path("choices").get(0).path("message").path("content").asText())
                .isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(Cl100k.prompt(PROMPT));
    }

    @Test
    void largePromptIsCountedExactlyOffTheEventLoop() {
        String prompt = "Explain glaciers. " + "The ice moves slowly downhill over many years. ".repeat(1000);

        JsonNode json = client.post(PATH, TestClient.openAiBody("gpt-4o", prompt, false, "")).json();

        assertThat(prompt.length()).isGreaterThan(Answer.INLINE_TEXT_LIMIT);
        assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(Cl100k.prompt(prompt));
        assertThat(json.path("choices").get(0).path("message").path("content").asText())
                .isEqualTo(ResponseGenerator.answerFor(prompt));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{not json",
        "[1,2]",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"gpt-4o\"}",
        "{\"model\":\"gpt-4o\",\"messages\":\"hi\"}",
        "{\"model\":\"gpt-4o\",\"messages\":[]}",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
        "{\"model\":\"gpt-4o\",\"max_tokens\":\"ten\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"gpt-4o\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"gpt-4o\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
    })
    void malformedBodiesAre400InvalidRequestErrors(String body) {
        TestClient.Response response = client.post(PATH, body);

        assertThat(response.status()).isEqualTo(400);
        JsonNode error = response.json().path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
    }

    @Test
    void unknownModelIs404ModelNotFoundWhenModelsAreListed() {
        try (Simulator known = Simulator.start(SimulatorConfig.builder().knownModels("gpt-4o").build())) {
            TestClient.Response response = new TestClient(known).post(PATH,
                    TestClient.openAiBody("gpt-5-imaginary", PROMPT, false, ""));

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.json().path("error").path("code").asText()).isEqualTo("model_not_found");
            assertThat(response.json().path("error").path("message").asText()).contains("gpt-5-imaginary");
        }
    }

    @Test
    void modelsEndpointListsKnownModelsInOpenAiListFormat() {
        try (Simulator known = Simulator.start(SimulatorConfig.builder().knownModels("gpt-4o", "o3").build())) {
            JsonNode json = new TestClient(known).get("/v1/models").json();

            assertThat(json.path("object").asText()).isEqualTo("list");
            assertThat(json.path("data").findValuesAsText("id")).containsExactly("gpt-4o", "o3");
            assertThat(json.path("data").get(0).path("object").asText()).isEqualTo("model");
        }
    }

    static String content(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks) {
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
            }
        }
        return text.toString();
    }
}
