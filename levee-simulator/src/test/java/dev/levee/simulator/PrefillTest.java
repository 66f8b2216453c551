package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A gateway that lost a stream can ask for the rest by sending what it has as an assistant turn. */
class PrefillTest {

    private static final String PROMPT = "Describe how vaccines train the immune system";
    private static final String FULL = ResponseGenerator.answerFor(PROMPT);
    private static final String PARTIAL = String.join("", ResponseGenerator.pieces(FULL).subList(0, 7));

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
    void anthropicPrefillReturnsExactlyTheRemainingSuffix() {
        JsonNode json = client.post("/v1/messages", "{\"model\":\"claude-haiku\",\"max_tokens\":1000,"
                + "\"messages\":" + conversation() + "}", TestClient.ANTHROPIC_HEADERS).json();

        String text = json.path("content").get(0).path("text").asText();
        assertThat(PARTIAL + text).isEqualTo(FULL);
        assertThat(json.path("usage").path("output_tokens").asInt()).isEqualTo(Cl100k.count(text));
        assertThat(json.path("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void aModelThatRejectsPrefillRefusesOnlyConversationsEndingWithTheAssistant() {
        simulator.faults().set("claude-no-prefill", "prefill_rejected");
        try {
            TestClient.Response refused = client.post("/v1/messages", "{\"model\":\"claude-no-prefill\","
                    + "\"max_tokens\":1000,\"messages\":" + conversation() + "}", TestClient.ANTHROPIC_HEADERS);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("error").path("message").asText()).contains("prefill");
            TestClient.Response fine = client.post("/v1/messages", "{\"model\":\"claude-no-prefill\","
                    + "\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    TestClient.ANTHROPIC_HEADERS);
            assertThat(fine.status()).isEqualTo(200);
        } finally {
            simulator.faults().clearAll();
        }
    }

    @Test
    void anAnswerCanNameAnotherModelThanTheOneAskedFor() {
        simulator.faults().set("gpt-4o", "answer_model=gpt-4o-mini-2024-07-18");
        try {
            JsonNode json = client.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"hi\"}]}").json();
            assertThat(json.path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        } finally {
            simulator.faults().clearAll();
        }
    }

    @Test
    void ollamaStreamedPrefillSplicesIntoTheFullAnswer() {
        TestClient.Response response = client.post("/api/chat",
                "{\"model\":\"llama3.2\",\"messages\":" + conversation() + "}");

        assertThat(PARTIAL + OllamaApiTest.content(response.ndjson())).isEqualTo(FULL);
    }

    @Test
    void openAiAcceptsATrailingAssistantTurnToo() {
        TestClient.Response response = client.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":" + conversation() + "}");

        assertThat(PARTIAL + OpenAiApiTest.content(response.sseData())).isEqualTo(FULL);
    }

    @Test
    void toldToContinueItAnswersTheRestRepeatingTheLastWord() {
        String messages = "[{\"role\":\"user\",\"content\":" + TestClient.quote(PROMPT) + "},"
                + "{\"role\":\"assistant\",\"content\":" + TestClient.quote(PARTIAL.stripTrailing()) + "},"
                + "{\"role\":\"user\",\"content\":" + TestClient.quote(ChatCall.CONTINUE_MARKER + " Go on.") + "}]";

        TestClient.Response response = client.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":" + messages + "}");

        String rest = OpenAiApiTest.content(response.sseData());
        String lastWord = PARTIAL.stripTrailing().substring(PARTIAL.stripTrailing().lastIndexOf(' ') + 1);
        assertThat(rest).startsWith(lastWord);
        assertThat(PARTIAL.stripTrailing().substring(0, PARTIAL.stripTrailing().length() - lastWord.length()) + rest)
                .isEqualTo(FULL);
    }

    @Test
    void prefillThatIsNotAPrefixGetsAShortFreshContinuation() {
        String messages = "[{\"role\":\"user\",\"content\":" + TestClient.quote(PROMPT) + "},"
                + "{\"role\":\"assistant\",\"content\":\"Well, it is complicated\"}]";

        JsonNode json = client.post("/v1/messages", "{\"model\":\"claude-haiku\",\"max_tokens\":1000,"
                + "\"messages\":" + messages + "}", TestClient.ANTHROPIC_HEADERS).json();

        String text = json.path("content").get(0).path("text").asText();
        assertThat(text).startsWith(" ").isNotBlank();
        assertThat(FULL).doesNotContain(text.trim());
    }

    private static String conversation() {
        return "[{\"role\":\"user\",\"content\":" + TestClient.quote(PROMPT) + "},"
                + "{\"role\":\"assistant\",\"content\":" + TestClient.quote(PARTIAL) + "}]";
    }
}
