package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.ResponseGenerator;
import dev.levee.simulator.Simulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK against levee's {@code POST /v1/messages}, with only the base URL
 * changed: a message, a stream, and a tool loop (tool_use → tool_result → final text), streamed and
 * not — each across a fallback, as the primary tier answers 503 and the second answers, over the
 * OpenAI wire, so the translation runs both ways.
 */
class AnthropicSdkTest {
    private static final String PROMPT = "Explain circuit breakers";
    private static Gateway gateway;
    private static Simulator sim;
    private static AnthropicClient client;

    @BeforeAll
    static void start() {
        gateway = new Gateway("""
                server: { host: 127.0.0.1, port: 0 }
                providers:
                  oai: { type: openai, base_url: "${SIM}/v1", api_key: sk-test-0000000000000000 }
                routes:
                  agents:
                    tiers:
                      - target: oai/gpt-primary
                      - target: oai/gpt-backup
                  strict:
                    tiers:
                      - target: oai/gpt-primary
                    rule_based_fallback: false
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                  timeout: { first_token: 2s, stream_idle: 500ms }
                """);
        sim = gateway.sim;
        client = AnthropicOkHttpClient.builder().baseUrl(gateway.rootUrl()).apiKey("sk-ant-levee-client-key")
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    @Test
    void countTokensCountsTheInputWithoutCallingAProvider() {
        sim.journal().clear();
        long plain = client.messages().countTokens(MessageCountTokensParams.builder().model("agents")
                .addUserMessage(PROMPT).build()).inputTokens();
        long withSystemAndTool = client.messages().countTokens(MessageCountTokensParams.builder().model("agents")
                .system("You are terse.").addUserMessage(PROMPT)
                .addTool(Tool.builder().name("get_weather").description("Weather for a city")
                        .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city",
                                Map.of("type", "string")))).build()).build())
                .build()).inputTokens();
        assertThat(plain).isPositive();
        assertThat(withSystemAndTool).isGreaterThan(plain + 5);
        assertThat(sim.journal().all()).as("no provider was called").isEmpty();
        assertThatThrownBy(() -> client.messages().countTokens(MessageCountTokensParams.builder().model("nope")
                .addUserMessage(PROMPT).build())).isInstanceOf(NotFoundException.class);
    }

    @BeforeEach
    void primaryIsDown() {
        sim.faults().clearAll();
        sim.journal().clear();
        sim.faults().set("gpt-primary", "status=503");
    }

    private static MessageCreateParams.Builder ask(String prompt) {
        return MessageCreateParams.builder().model("agents").maxTokens(256).addUserMessage(prompt);
    }

    private static Message streamed(MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    @Test
    void theSdkListsAndRetrievesTheRoutesAsModels() {
        assertThat(client.models().list().data()).extracting(m -> m.id()).containsExactly("agents", "strict");
        com.anthropic.models.models.ModelInfo agents = client.models().retrieve("agents");
        assertThat(agents.id()).isEqualTo("agents");
        assertThat(agents.displayName()).isEqualTo("agents");
        assertThatThrownBy(() -> client.models().retrieve("nope"))
                .isInstanceOf(com.anthropic.errors.NotFoundException.class).hasMessageContaining("no route named 'nope'");
    }

    @Test
    void aMessageAcrossAFallback() {
        Message m = client.messages().create(ask(PROMPT).system("Be brief.").build());

        assertThat(m.content()).hasSize(1);
        assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(m.model().asString()).isEqualTo("gpt-backup");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isPositive();
        assertThat(m.usage().outputTokens()).isPositive();
        assertThat(m.id()).startsWith("msg_");
        assertThat(sim.journal().count("gpt-primary")).isEqualTo(1);
    }

    @Test
    void aStreamAcrossAFallback() {
        Message m = streamed(ask(PROMPT).build());

        assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(m.model().asString()).isEqualTo("gpt-backup");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().outputTokens()).isPositive();
    }

    private static final Tool WEATHER = Tool.builder().name("get_weather").description("The weather in a city")
            .inputSchema(Tool.InputSchema.builder()
                    .properties(JsonValue.from(Map.of("city", Map.of("type", "string", "description", "the city"))))
                    .required(List.of("city")).build())
            .build();

    private static MessageCreateParams.Builder weather() {
        return ask("Weather for Copenhagen").addTool(WEATHER).toolChoice(ToolChoiceAny.builder().build());
    }

    /** The second turn of the loop: the call, its result, and the final answer. */
    private static Message answerWith(Message asked, ToolUseBlock use, boolean stream) {
        MessageCreateParams params = ask("Weather for Copenhagen").addTool(WEATHER).addMessage(asked)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(use.id()).content("12 C, sunny").build())))
                .build();
        return stream ? streamed(params) : client.messages().create(params);
    }

    private static void assertAToolLoop(Message asked, boolean stream) {
        assertThat(asked.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(asked.model().asString()).isEqualTo("gpt-backup");
        ToolUseBlock use = asked.content().stream().map(ContentBlock::toolUse).flatMap(java.util.Optional::stream)
                .findFirst().orElseThrow();
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(use._input().convert(JsonNode.class).path("city").asText()).isEqualTo("Copenhagen");

        Message answer = answerWith(asked, use, stream);

        assertThat(answer.content().get(0).text().orElseThrow().text()).isEqualTo("The tool returned: 12 C, sunny");
        assertThat(answer.stopReason()).hasValue(StopReason.END_TURN);
        JsonNode sent = last("gpt-backup").body();
        assertThat(sent.path("messages").get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo(use.id());
        assertThat(sent.path("messages").get(2).path("tool_call_id").asText()).isEqualTo(use.id());
    }

    @Test
    void aToolLoopAcrossAFallback() {
        assertAToolLoop(client.messages().create(weather().build()), false);
    }

    @Test
    void aStreamedToolLoopAcrossAFallback() {
        assertAToolLoop(streamed(weather().build()), true);
    }

    @Test
    void aStreamCutWithNoTierToContinueRaisesInsteadOfEndingCleanly() {
        sim.faults().clearAll();
        sim.faults().set("gpt-primary", "cut_after=4");

        assertThatThrownBy(() -> streamed(ask(PROMPT).model("strict").build())).isInstanceOf(AnthropicException.class);
    }

    @Test
    void refusalsAreTheSdksOwnExceptions() {
        assertThatThrownBy(() -> client.messages().create(ask(PROMPT).model("no-such-route").build()))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.getMessage()).contains("no-such-route"));
        assertThatThrownBy(() -> client.messages().create(ask(PROMPT)
                        .putAdditionalBodyProperty("temperature", JsonValue.from(1.5)).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.getMessage()).contains("temperature"));
        assertThat(sim.journal().all()).isEmpty();
    }

    private static ReceivedRequest last(String model) {
        return sim.journal().all().stream().filter(r -> r.model().equals(model)).reduce((a, b) -> b).orElseThrow();
    }
}
