package dev.levee.internal.provider.anthropic;

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
import dev.levee.ToolChoice;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.Simulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What OpenAI clients send, as Anthropic's Messages API gets it, and its content blocks back. */
class AnthropicTranslationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Simulator sim;
    private static Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
        levee = TestSupport.levee(TestSupport.config("""
                providers:
                  claude: { type: anthropic, base_url: "%s", api_key: sk-ant-test-0000000000000000 }
                routes:
                  default:
                    tiers:
                      - target: claude/claude-haiku
                resilience:
                  retry: { max_attempts: 1 }
                """.formatted(sim.baseUrl())), java.time.Clock.systemUTC());
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


    private static JsonNode lastBody() {
        List<ReceivedRequest> received = sim.journal().forModel("claude-haiku");
        return received.get(received.size() - 1).body();
    }

    private static ChatResponse stream(ChatRequest request, List<ChatChunk> chunks) throws Exception {
        return TestSupport.streamed(levee, request, chunks);
    }

    @Test
    void aToolLoopRoundTripsThroughContentBlocks() {
        ChatRequest ask = ChatRequest.builder().message(new Message(Role.DEVELOPER, "Be brief."))
                .user("Weather for Copenhagen").tool(TestSupport.weatherTool()).toolChoice(ToolChoice.REQUIRED).build();
        ChatResponse call = levee.complete(ask);

        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Copenhagen\"}");
        });
        JsonNode sent = lastBody();
        assertThat(sent.path("system").asText()).isEqualTo("Be brief.");
        assertThat(sent.path("tools").get(0).path("input_schema").path("type").asText()).isEqualTo("object");
        assertThat(sent.path("tool_choice").path("type").asText()).isEqualTo("any");

        String id = call.toolCalls().get(0).id();
        ChatResponse answer = levee.complete(ask.toBuilder().toolChoice(null)
                .message(Message.assistant(call.toolCalls()))
                .message(Message.tool(id, "12 C, sunny")).build());

        assertThat(answer.text()).isEqualTo("The tool returned: 12 C, sunny");
        JsonNode messages = lastBody().path("messages");
        assertThat(messages).hasSize(3); // user, assistant (tool_use), user (tool_result): alternating
        assertThat(messages.get(1).path("content").get(0).path("type").asText()).isEqualTo("tool_use");
        assertThat(messages.get(1).path("content").get(0).path("input").path("city").asText()).isEqualTo("Copenhagen");
        assertThat(messages.get(2).path("content").get(0).path("tool_use_id").asText()).isEqualTo(id);
    }

    @Test
    void streamedToolInputArrivesInPiecesAndAssembles() throws Exception {
        List<ChatChunk> chunks = new ArrayList<>();
        ChatResponse r = stream(ChatRequest.builder().user("Weather for Copenhagen").tool(TestSupport.weatherTool()).build(), chunks);

        assertThat(r.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Copenhagen\"}");
        });
        assertThat(chunks.stream().filter(c -> !c.toolCalls().isEmpty()).count()).isGreaterThan(2);
        assertThat(chunks.get(0).toolCalls().get(0).id()).isNotNull();
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void aJsonSchemaIsAskedForAsAForcedToolAndComesBackAsText() throws Exception {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.putObject("properties").set("city", JSON.createObjectNode().put("type", "string"));
        ChatRequest request = ChatRequest.builder().user("Forecast for Copenhagen")
                .responseFormat(ResponseFormat.jsonSchema("forecast", schema, true)).build();

        ChatResponse complete = levee.complete(request);
        ChatResponse streamed = stream(request, new ArrayList<>());

        assertThat(complete.text()).isEqualTo("{\"city\":\"Copenhagen\"}");
        assertThat(complete.toolCalls()).isEmpty();
        assertThat(complete.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(streamed.text()).isEqualTo("{\"city\":\"Copenhagen\"}");
        assertThat(lastBody().path("tool_choice").path("name").asText()).isEqualTo(AnthropicWire.JSON_TOOL);
        assertThat(lastBody().path("tools").get(0).path("input_schema")).isEqualTo(schema);
    }

    @Test
    void topKFromAMessagesApiClientIsSentAsAnthropicsOwn() {
        ChatResponse r = levee.complete(ChatRequest.builder().user("hi").extra("top_k", JSON.getNodeFactory().numberNode(40))
                .build());

        assertThat(lastBody().path("top_k").asInt()).isEqualTo(40);
        assertThat(r.notApplied()).doesNotContain("top_k");
    }

    @Test
    void imagesBecomeImageBlocks() {
        Message look = new Message(Role.USER, List.of(new ContentPart.Text("Compare"),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null),
                new ContentPart.Image("https://example.com/cat.jpg", "low")), List.of(), null, null);

        levee.complete(ChatRequest.builder().message(look).build());

        JsonNode content = lastBody().path("messages").get(0).path("content");
        assertThat(content.get(1).path("source").path("type").asText()).isEqualTo("base64");
        assertThat(content.get(1).path("source").path("media_type").asText()).isEqualTo("image/png");
        assertThat(content.get(1).path("source").path("data").asText()).isEqualTo("iVBORw0KGgo=");
        assertThat(content.get(2).path("source").path("url").asText()).isEqualTo("https://example.com/cat.jpg");
    }
}
