package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.levee.simulator.ResponseGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a running levee gateway. */
class OpenAiSdkTest {
    private static final String PROMPT = "What does a circuit breaker protect?";
    private static Gateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        gateway = new Gateway();
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("levee-client-key").maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    @BeforeEach
    void reset() {
        gateway.sim.faults().clearAll();
        gateway.sim.journal().clear();
    }

    private static ChatCompletionCreateParams.Builder params(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(PROMPT).maxCompletionTokens(500);
    }

    @Test
    void aProviderThatAnswersWithAnotherModelIsNamedAsItSaid() {
        gateway.sim.faults().set("gemma3:4b", "answer_model=gemma3:4b-it-q4_K_M");
        ChatCompletion c = client.chat().completions().create(params("default").build());
        assertThat(c.model()).as("what answered, not what was asked").isEqualTo("gemma3:4b-it-q4_K_M");
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                params("default").build())) {
            assertThat(s.stream().map(ChatCompletionChunk::model).distinct().toList())
                    .containsExactly("gemma3:4b-it-q4_K_M");
        }
    }

    @Test
    void completion() {
        ChatCompletion c = client.chat().completions().create(params("default").build());
        assertThat(c.choices().get(0).message().content()).hasValue(ResponseGenerator.answerFor(PROMPT));
        assertThat(c.model()).isEqualTo("gemma3:4b");
        assertThat(c.usage().orElseThrow().totalTokens()).isPositive();
    }

    @Test
    void requestIdIsEchoed() {
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                .create(params("default").putAdditionalHeader("X-Request-Id", "sdk-req-7").build());
        assertThat(raw.headers().values("x-request-id")).containsExactly("sdk-req-7");
        assertThat(raw.headers().values("x-levee-model-used")).containsExactly("gemma3:4b");
        assertThat(raw.parse().id()).isEqualTo("chatcmpl-sdk-req-7");
    }

    @Test
    void streamingWithUsage() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params("default")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertThat(text.toString()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
        assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo("gemma3:4b"));
    }

    @Test
    void modelListNamesTheRoutes() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("default", "no-prefill");
    }

    @Test
    void unknownModelRaisesNotFound() {
        assertThatThrownBy(() -> client.chat().completions().create(params("gpt-nonexistent").build()))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).statusCode()).isEqualTo(404));
    }

    @Test
    void invalidParameterRaisesBadRequest() {
        assertThatThrownBy(() -> client.chat().completions().create(params("default").temperature(7.0).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("temperature");
    }

    @Test
    void aStreamCutMidwayIsCompletedOnAPrefillTier() {
        gateway.sim.faults().set("gemma3:4b", "cut_after=5");
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params("default").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertThat(text.toString()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(gateway.sim.journal().count("claude-haiku")).isEqualTo(1);
    }

    @Test
    void aStreamCutWithNoPrefillTierLeftRaisesInsteadOfReturningTruncatedText() {
        gateway.sim.faults().set("gemma3:4b", "cut_after=5");
        StringBuilder text = new StringBuilder();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(params("no-prefill").build())) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
            }
        }).isInstanceOf(SseException.class);
        assertThat(text.toString()).isNotEmpty().isNotEqualTo(ResponseGenerator.answerFor(PROMPT));
    }
}
