package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.Simulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agents through levee with the official OpenAI SDK: a tool loop, structured output through the
 * SDK's own schema helper and streamed tool calls — each across a fallback (the primary answers 503)
 * and past a tier that cannot call tools, which is skipped rather than asked to pretend.
 */
class ToolsAndStructuredOutputTest {
    private static Gateway gateway;
    private static Simulator sim;
    private static OpenAIClient client;

    /** The weather tool: its class is its schema, as the SDK builds it. */
    public static class GetWeather {
        @JsonPropertyDescription("the city to look up")
        public String city;
    }

    /** A structured answer. */
    public static class Forecast {
        public String city;
        public int temperature;
        public boolean sunny;
    }

    @BeforeAll
    static void start() {
        gateway = new Gateway("""
                server: { host: 127.0.0.1, port: 0 }
                providers:
                  local: { type: ollama, base_url: "${SIM}" }
                  oai: { type: openai, base_url: "${SIM}/v1", api_key: sk-test-0000000000000000 }
                routes:
                  agents:
                    tiers:
                      - target: local/gemma3:4b
                      - target: oai/gpt-primary
                      - target: oai/gpt-backup
                  local-only:
                    tiers:
                      - target: local/gemma3:4b
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                """);
        sim = gateway.sim;
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("levee-client-key").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    @BeforeEach
    void primaryIsDown() {
        sim.faults().clearAll();
        sim.journal().clear();
        sim.faults().set("gpt-primary", "status=503");
    }

    private static ChatCompletionCreateParams.Builder weather() {
        return ChatCompletionCreateParams.builder().model("agents").addUserMessage("Weather for Copenhagen")
                .addTool(GetWeather.class);
    }

    @Test
    void aToolLoopRunsAcrossAFallback() {
        ChatCompletion first = client.chat().completions().create(weather().build());

        ChatCompletionMessage asked = first.choices().get(0).message();
        ChatCompletionMessageFunctionToolCall call = asked.toolCalls().orElseThrow().get(0).asFunction();
        assertThat(first.model()).isEqualTo("gpt-backup");
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(call.function().name()).isEqualTo("GetWeather");
        assertThat(call.function().arguments(GetWeather.class).city).isEqualTo("Copenhagen");
        assertThat(first.id()).startsWith("chatcmpl-"); // the provider's own id, passed through
        assertThat(sim.journal().count("gemma3:4b")).isZero(); // no tools there: skipped, never asked

        ChatCompletion second = client.chat().completions().create(weather()
                .addMessage(asked)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("12 C, sunny").build())
                .build());

        assertThat(second.choices().get(0).message().content()).hasValue("The tool returned: 12 C, sunny");
        JsonNode sent = last("gpt-backup").body();
        assertThat(sent.path("messages").get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo(call.id());
        assertThat(sent.path("messages").get(2).path("tool_call_id").asText()).isEqualTo(call.id());
        assertThat(sent.path("tools").get(0).path("function").path("name").asText()).isEqualTo("GetWeather");
    }

    private static StructuredChatCompletionCreateParams<Forecast> forecast(String route) {
        return ChatCompletionCreateParams.builder().model(route).addUserMessage("Forecast for Copenhagen")
                .responseFormat(Forecast.class).build();
    }

    @Test
    void structuredOutputParsesThroughTheSdkHelperAcrossAFallback() {
        sim.faults().set("gemma3:4b", "status=503");

        Forecast forecast = client.chat().completions().create(forecast("agents")).choices().get(0).message()
                .content().orElseThrow();

        assertThat(forecast.city).isEqualTo("Copenhagen");
        assertThat(forecast.sunny).isTrue();
        assertThat(last("gpt-backup").body().path("response_format").path("type").asText()).isEqualTo("json_schema");
    }

    @Test
    void structuredOutputOnAnOllamaTierTravelsAsItsFormat() {
        Forecast forecast = client.chat().completions().create(forecast("local-only")).choices().get(0).message()
                .content().orElseThrow();

        assertThat(forecast.city).isEqualTo("Copenhagen");
        JsonNode format = last("gemma3:4b").body().path("format");
        assertThat(format.path("properties").has("temperature")).isTrue();
    }

    @Test
    void streamedToolCallsArriveInOrderAndAssembleIntoTheCall() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        int withToolCalls = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(weather().build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                accumulator.accumulate(chunk);
                if (!chunk.choices().isEmpty() && chunk.choices().get(0).delta().toolCalls().isPresent()) {
                    withToolCalls++;
                }
            }
        }
        ChatCompletion whole = accumulator.chatCompletion();
        ChatCompletionMessageFunctionToolCall call = whole.choices().get(0).message().toolCalls().orElseThrow().get(0)
                .asFunction();
        assertThat(call.function().name()).isEqualTo("GetWeather");
        assertThat(call.function().arguments(GetWeather.class).city).isEqualTo("Copenhagen");
        assertThat(withToolCalls).isGreaterThan(1); // relayed piece by piece, not buffered into one
        assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void aRouteWithNoTierThatCanCallToolsRefusesWith400NamingTools() {
        assertThatThrownBy(() -> client.chat().completions().create(weather().model("local-only").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getMessage()).contains("tools");
                    assertThat(e.param()).hasValue("tools");
                });
        assertThat(sim.journal().all()).isEmpty();
    }

    @Test
    void everyParameterReachesAnOpenAiCompatibleTargetUnchanged() {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("agents")
                .addUserMessage("hello").seed(7L).presencePenalty(0.5).logprobs(true).topLogprobs(2)
                .putAdditionalBodyProperty("reasoning_effort", JsonValue.from("low"))
                .putAdditionalBodyProperty("some_future_field", JsonValue.from(List.of(1, 2)))
                .build());

        JsonNode sent = last("gpt-backup").body();
        assertThat(sent.path("seed").asLong()).isEqualTo(7);
        assertThat(sent.path("presence_penalty").asDouble()).isEqualTo(0.5);
        assertThat(sent.path("reasoning_effort").asText()).isEqualTo("low");
        assertThat(sent.path("some_future_field").toString()).isEqualTo("[1,2]");
        assertThat(c.choices().get(0).logprobs()).isPresent(); // honoured: the provider's log probabilities came back
        assertThat(c.systemFingerprint()).hasValue("fp_levee_sim");
    }

    @Test
    void aHintAnOllamaTargetCannotApplyIsNamedInTheResponse() {
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("local-only").addUserMessage("hello").seed(7L)
                        .putAdditionalBodyProperty("logit_bias", JsonValue.from(java.util.Map.of("50256", -100)))
                        .build());

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().values("x-levee-not-applied")).containsExactly("logit_bias");
        assertThat(last("gemma3:4b").body().path("options").path("seed").asLong()).isEqualTo(7); // translated
    }

    /** A LangChain4j AI service whose tool levee's simulator asks it to call. */
    interface Assistant {
        String chat(String message);
    }

    static final class WeatherTools {
        final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Tool("Looks up the current weather in a city")
        String getWeather(@P("the city") String city) {
            asked.add(city);
            return "12 C, sunny in " + city;
        }
    }

    @Test
    void aLangChain4jAiServiceCallsItsToolThroughAFallback() {
        WeatherTools tools = new WeatherTools();
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(OpenAiChatModel.builder().baseUrl(gateway.baseUrl())
                        .apiKey("levee-client-key").modelName("agents").maxRetries(0).timeout(Duration.ofSeconds(20))
                        .build())
                .tools(tools).build();

        String answer = assistant.chat("Weather for Copenhagen");

        assertThat(tools.asked).containsExactly("Copenhagen");
        assertThat(answer).isEqualTo("The tool returned: 12 C, sunny in Copenhagen");
    }

    private static ReceivedRequest last(String model) {
        List<ReceivedRequest> received = sim.journal().forModel(model);
        assertThat(received).isNotEmpty();
        return received.get(received.size() - 1);
    }
}
