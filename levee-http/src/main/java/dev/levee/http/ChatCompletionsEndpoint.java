package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatResponse;
import dev.levee.http.ChatCompletionRequest.Invalid;
import dev.levee.spi.LiveStream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** {@code POST /v1/chat/completions}: OpenAI's request, answer, chunks and error objects. */
final class ChatCompletionsEndpoint implements Endpoint<ChatCompletionRequest> {
    @Override
    public ChatCompletionRequest read(JsonNode body, MultiMap headers, CallOptions.Builder options) throws Invalid {
        return ChatCompletionRequest.from(body, options);
    }

    @Override
    public Buffer answer(ChatCompletionRequest parsed, ChatResponse answer, long created) {
        return ChatCompletionResponse.completion(answer, created);
    }

    @Override
    public SseFormat sse(ChatCompletionRequest parsed, LiveStream stream, String requestId, long created) {
        return new ChatCompletionSse(stream, requestId, created, parsed.includeUsage());
    }

    @Override
    public void error(HttpServerResponse response, ApiError error, String requestId) {
        Responses.error(response, error);
    }
}
