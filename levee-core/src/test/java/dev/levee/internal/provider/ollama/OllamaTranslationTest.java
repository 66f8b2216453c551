package dev.levee.internal.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.ContentPart;
import dev.levee.FinishReason;
import dev.levee.Levee;
import dev.levee.Message;
import dev.levee.ResponseFormat;
import dev.levee.Role;
import dev.levee.TestSupport;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.Simulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What OpenAI clients send, as Ollama's /api/chat gets it, and Ollama's answers back. */
class OllamaTranslationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Simulator sim;
    private static Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
        levee = TestSupport.levee(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/qwen3:8b
                  vision:
                    tiers:
                      - target: sim/llava:7b
                resilience:
                  retry: { max_attempts: 1 }
                """), java.time.Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        levee.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.journal().clear();
    }


    private static JsonNode lastBody(String model) {
        List<ReceivedRequest> received = sim.journal().forModel(model);
        return received.get(received.size() - 1).body();
    }

    @Test
    void aToolLoopRoundTripsThroughOllamasShape() {
        ChatRequest ask = ChatRequest.builder().user("Weather for Copenhagen").tool(TestSupport.weatherTool()).build();
        ChatResponse call = levee.complete(ask);

        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.id()).startsWith("call_");
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Copenhagen\"}");
        });
        assertThat(lastBody("qwen3:8b").path("tools").get(0).path("function").path("name").asText())
                .isEqualTo("get_weather");

        ChatResponse answer = levee.complete(ask.toBuilder()
                .message(Message.assistant(call.toolCalls()))
                .message(Message.tool(call.toolCalls().get(0).id(), "12 C, sunny")).build());

        assertThat(answer.text()).isEqualTo("The tool returned: 12 C, sunny");
        JsonNode sent = lastBody("qwen3:8b").path("messages");
        assertThat(sent.get(1).path("tool_calls").get(0).path("function").path("arguments").path("city").asText())
                .isEqualTo("Copenhagen"); // an object, as Ollama wants it, not a string
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("tool_name").asText()).isEqualTo("get_weather");
    }

    @Test
    void aStreamedToolCallArrivesWhole() throws Exception {
        List<ChatChunk> chunks = new ArrayList<>();
        ChatResponse r = TestSupport.streamed(levee,
                ChatRequest.builder().user("Weather for Copenhagen").tool(TestSupport.weatherTool()).build(), chunks);
        assertThat(r.toolCalls()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("get_weather"));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(chunks.stream().filter(c -> !c.toolCalls().isEmpty()).count()).isEqualTo(1);
    }

    @Test
    void aJsonSchemaBecomesOllamasFormat() {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.putObject("properties").set("city", JSON.createObjectNode().put("type", "string"));

        ChatResponse r = levee.complete(ChatRequest.builder().user("Forecast for Copenhagen")
                .responseFormat(ResponseFormat.jsonSchema("forecast", schema, true)).build());

        assertThat(r.text()).isEqualTo("{\"city\":\"Copenhagen\"}");
        assertThat(lastBody("qwen3:8b").path("format")).isEqualTo(schema);
    }

    @Test
    void topKIsAnOption() {
        ChatResponse r = levee.complete(ChatRequest.builder().route("vision").user("hi")
                .extra("top_k", JSON.getNodeFactory().numberNode(40)).build());

        assertThat(lastBody("llava:7b").path("options").path("top_k").asInt()).isEqualTo(40);
        assertThat(r.notApplied()).doesNotContain("top_k");
    }

    @Test
    void inlineImagesTravelAsBase64() {
        Message look = new Message(Role.USER, List.of(new ContentPart.Text("What is this?"),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null)), List.of(), null, null);

        levee.complete(ChatRequest.builder().route("vision").message(look).build());

        JsonNode sent = lastBody("llava:7b").path("messages").get(0);
        assertThat(sent.path("content").asText()).isEqualTo("What is this?");
        assertThat(sent.path("images").get(0).asText()).isEqualTo("iVBORw0KGgo=");
    }
}
