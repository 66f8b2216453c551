package dev.levee.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.ChatRequest;
import dev.levee.Message;
import dev.levee.ResponseFormat;
import dev.levee.Tool;
import dev.levee.ToolChoice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream call: the request as this target gets it — the tier's parameter caps applied, and for
 * a continuation the partial answer as a trailing assistant message (a prefill).
 *
 * @param model the provider's model name
 * @param request the conversation and every parameter; its route and options are levee's, not the provider's
 * @param timeout the whole attempt's budget (non-streaming) or the wait for the first token (streaming)
 * @param idleTimeout the longest silence between streamed chunks
 * @param requestId for correlation headers and logs
 * @param headers extra request headers (e.g. a simulator fault header)
 * @param abandoned completes when the caller gives up: the adapter then resets the upstream request
 */
public record ProviderCall(String model, ChatRequest request, Duration timeout, Duration idleTimeout, String requestId,
                           Map<String, String> headers, Future<Void> abandoned) {
    public ProviderCall {
        headers = Map.copyOf(headers);
        abandoned = abandoned == null ? Promise.<Void>promise().future() : abandoned;
    }

    /** A call with the basic parameters only. */
    public ProviderCall(String model, List<Message> messages, Integer maxTokens, Double temperature, Double topP,
                        List<String> stop, Duration timeout, Duration idleTimeout, String requestId,
                        Map<String, String> headers, Future<Void> abandoned) {
        this(model, new ChatRequest(null, messages, maxTokens, temperature, topP, stop, null), timeout, idleTimeout,
                requestId, headers, abandoned);
    }

    /** The conversation; a trailing assistant message is a prefill to continue. */
    public List<Message> messages() {
        return request.messages();
    }

    public Integer maxTokens() {
        return request.maxTokens();
    }

    public Double temperature() {
        return request.temperature();
    }

    public Double topP() {
        return request.topP();
    }

    public List<String> stop() {
        return request.stop();
    }

    public List<Tool> tools() {
        return request.tools();
    }

    public ToolChoice toolChoice() {
        return request.toolChoice();
    }

    public ResponseFormat responseFormat() {
        return request.responseFormat();
    }

    /** What to embed, for an embeddings call ({@code null} for a chat call). */
    public dev.levee.EmbeddingInput embedding() {
        return request.embedding();
    }

    /** Every other parameter, by its OpenAI wire name. */
    public Map<String, JsonNode> extra() {
        return request.extra();
    }
}
