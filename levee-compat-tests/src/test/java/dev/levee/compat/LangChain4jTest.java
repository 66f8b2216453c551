package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.levee.simulator.ResponseGenerator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI models pointed at a running levee gateway. */
class LangChain4jTest {
    private static final String PROMPT = "Why do retries need jitter?";
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = new Gateway();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void reset() {
        gateway.sim.faults().clearAll();
    }

    private static OpenAiChatModel model(String route) {
        return OpenAiChatModel.builder().baseUrl(gateway.baseUrl()).apiKey("levee-client-key").modelName(route)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    private static OpenAiStreamingChatModel streaming(String route) {
        return OpenAiStreamingChatModel.builder().baseUrl(gateway.baseUrl()).apiKey("levee-client-key")
                .modelName(route).timeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void chat() {
        assertThat(model("default").chat(PROMPT)).isEqualTo(ResponseGenerator.answerFor(PROMPT));
    }

    @Test
    void streamingChat() throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        streaming("default").chat(PROMPT, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(20, TimeUnit.SECONDS);
        assertThat(text.toString()).isEqualTo(ResponseGenerator.answerFor(PROMPT));
        assertThat(response.aiMessage().text()).isEqualTo(text.toString());
    }

    @Test
    void unknownRouteIsAnError() {
        assertThatThrownBy(() -> model("missing-route").chat(PROMPT)).hasMessageContaining("missing-route");
    }

    @Test
    void aCutStreamWithNoPrefillTierLeftIsAnErrorNotASuccess() throws Exception {
        gateway.sim.faults().set("gemma3:4b", "cut_after=5");
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming("no-prefill").chat(PROMPT, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        assertThat(done).failsWithin(Duration.ofSeconds(20));
    }
}
