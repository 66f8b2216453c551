package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.CallOptions;
import dev.levee.ChatResponse;
import dev.levee.http.ChatCompletionRequest.Invalid;
import dev.levee.spi.LiveStream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/messages/count_tokens}: Anthropic's token count for a Messages request (model,
 * system, messages, tools), authenticated and routed like {@code /v1/messages}, counted by levee
 * ({@code Levee.countTokens}) without calling a provider. The count is cl100k's: an estimate for
 * Claude, whose tokenizer is not public — the response says so in {@code X-Levee-Token-Count}.
 */
final class CountTokensEndpoint implements Endpoint<MessagesRequest> {
    private final MessagesEndpoint messages = new MessagesEndpoint();

    @Override
    public MessagesRequest read(JsonNode body, MultiMap headers, CallOptions.Builder options) throws Invalid {
        if (body != null && body.isObject() && !body.has("max_tokens")) {
            // a count takes no max_tokens; the Messages reader wants one, and it changes no count
            body = ((ObjectNode) body.deepCopy()).put("max_tokens", 1);
        }
        if (body != null && body.isObject() && body.has("stream")) {
            throw new Invalid("stream", "stream: a token count is not streamed");
        }
        return messages.read(body, headers, options);
    }

    @Override
    public Buffer answer(MessagesRequest parsed, ChatResponse answer, long created) {
        return Json.write(Json.MAPPER.createObjectNode().put("input_tokens", answer.usage().promptTokens()));
    }

    @Override
    public SseFormat sse(MessagesRequest parsed, LiveStream stream, String requestId, long created) {
        throw new IllegalStateException("a token count is never streamed");
    }

    @Override
    public void error(HttpServerResponse response, ApiError error, String requestId) {
        messages.error(response, error, requestId);
    }

    @Override
    public void headers(HttpServerResponse response, String requestId) {
        messages.headers(response, requestId);
        response.putHeader("x-levee-token-count", "estimated (cl100k)");
    }
}
