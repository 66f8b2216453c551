package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OllamaApiTest {

    private static final String PATH = "/api/chat";
    private static final String PROMPT = "Why do volcanoes erupt near tectonic plate boundaries?";

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
    void nonStreamReturnsOneMessageWithCountsAndDurations() {
        TestClient.Response response = client.post(PATH,
                TestClient.ollamaBody("llama3.2", PROMPT, ",\"stream\":false,\"options\":{\"temperature\":0.1}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("content-type", "application/json").containsKey("content-length");
        JsonNode json = response.json();
        String answer = ResponseGenerator.answerFor(PROMPT);
        assertThat(json.path("model").asText()).isEqualTo("llama3.2");
        assertThat(json.path("created_at").asText()).endsWith("Z");
        assertThat(json.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(json.path("message").path("content").asText()).isEqualTo(answer);
        assertThat(json.path("done").asBoolean()).isTrue();
        assertThat(json.path("done_reason").asText()).isEqualTo("stop");
        assertThat(json.path("prompt_eval_count").asInt()).isEqualTo(Cl100k.prompt(PROMPT));
        assertThat(json.path("eval_count").asInt()).isEqualTo(Cl100k.count(answer));
        assertThat(json.path("total_duration").asLong()).isPositive()
                .isGreaterThanOrEqualTo(json.path("prompt_eval_duration").asLong() + json.path("eval_duration").asLong());
        assertThat(json.has("load_duration")).isTrue();
    }

    @Test
    void streamsNdjsonByDefaultWhenStreamIsAbsent() {
        TestClient.Response response = client.post(PATH, TestClient.ollamaBody("llama3.2", PROMPT, ""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-type")).isEqualTo("application/x-ndjson");
        List<JsonNode> lines = response.ndjson();
        List<JsonNode> pieces = lines.subList(0, lines.size() - 1);
        JsonNode last = lines.get(lines.size() - 1);
        String answer = ResponseGenerator.answerFor(PROMPT);
        assertThat(pieces).allSatisfy(line -> {
            assertThat(line.path("done").asBoolean()).isFalse();
            assertThat(line.path("model").asText()).isEqualTo("llama3.2");
            assertThat(line.path("message").path("role").asText()).isEqualTo("assistant");
        });
        assertThat(pieces).hasSize(answer.split(" ").length);
        assertThat(content(pieces)).isEqualTo(answer);
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("message").path("content").asText()).isEmpty();
        assertThat(last.path("done_reason").asText()).isEqualTo("stop");
        assertThat(last.path("eval_count").asInt()).isEqualTo(Cl100k.count(answer));
        assertThat(last.path("prompt_eval_count").asInt()).isEqualTo(Cl100k.prompt(PROMPT));
    }

    @Test
    void numPredictCapsAnswerWithLengthReason() {
        TestClient.Response response = client.post(PATH,
                TestClient.ollamaBody("llama3.2", PROMPT, ",\"options\":{\"num_predict\":8}"));

        List<JsonNode> lines = response.ndjson();
        JsonNode last = lines.get(lines.size() - 1);
        String content = content(lines);
        assertThat(last.path("done_reason").asText()).isEqualTo("length");
        assertThat(last.path("eval_count").asInt()).isEqualTo(Cl100k.count(content)).isLessThanOrEqualTo(8);
        assertThat(ResponseGenerator.answerFor(PROMPT)).startsWith(content);
    }

    @Test
    void negativeNumPredictMeansNoLimit() {
        JsonNode json = client.post(PATH, TestClient.ollamaBody("llama3.2", PROMPT,
                ",\"stream\":false,\"options\":{\"num_predict\":-1}")).json();

        assertThat(json.path("done_reason").asText()).isEqualTo("stop");
        assertThat(json.path("message").path("content").asText()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{oops",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"llama3.2\"}",
        "{\"model\":\"llama3.2\",\"messages\":{\"role\":\"user\"}}",
        "{\"model\":\"llama3.2\",\"options\":{\"num_predict\":\"lots\"},\"messages\":[]}",
    })
    void malformedBodiesAre400WithOllamaErrorString(String body) {
        TestClient.Response response = client.post(PATH, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").isTextual()).isTrue();
    }

    @Test
    void unknownModelIs404TryPullingItFirst() {
        try (Simulator known = Simulator.start(SimulatorConfig.builder().knownModels("llama3.2").build())) {
            TestClient knownClient = new TestClient(known);

            TestClient.Response missing = knownClient.post(PATH,
                    TestClient.ollamaBody("mistral", PROMPT, ",\"stream\":false"));
            TestClient.Response tagged = knownClient.post(PATH,
                    TestClient.ollamaBody("llama3.2:latest", PROMPT, ",\"stream\":false"));

            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().path("error").asText())
                    .isEqualTo("model \"mistral\" not found, try pulling it first");
            assertThat(tagged.status()).isEqualTo(200);
        }
    }

    @Test
    void tagsListsKnownModels() {
        try (Simulator known = Simulator.start(SimulatorConfig.builder().knownModels("llama3.2", "qwen3:8b").build())) {
            JsonNode json = new TestClient(known).get("/api/tags").json();

            assertThat(json.path("models").findValuesAsText("name")).containsExactly("llama3.2:latest", "qwen3:8b");
        }
    }

    static String content(List<JsonNode> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line.path("message").path("content").asText("")));
        return text.toString();
    }
}
