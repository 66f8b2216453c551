package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.http.ChatCompletionRequest.Invalid;
import dev.levee.spi.LiveStream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * One chat API on the shared request path of {@link EndpointHandler}: how it reads a request, writes
 * an answer, frames a stream and shapes an error.
 *
 * @param <P> the request as read
 */
interface Endpoint<P extends Endpoint.Parsed> {
    /** A request as an API read it. */
    interface Parsed {
        ChatRequest request();

        boolean stream();

        /** Fields the API itself accepted but carries to no target: named with the target's own. */
        default List<String> notApplied() {
            return List.of();
        }
    }

    /** Checks the headers and reads the body; every mistake is an {@link Invalid} naming it. */
    P read(JsonNode body, MultiMap headers, CallOptions.Builder options) throws Invalid;

    /** The whole answer's body. */
    Buffer answer(P parsed, ChatResponse answer, long created);

    /** The framing of a committed stream. */
    SseFormat sse(P parsed, LiveStream stream, String requestId, long created);

    /** Writes an error in this API's shape, with its status. */
    void error(HttpServerResponse response, ApiError error, String requestId);

    /** Headers every response of this API carries, set before anything else. */
    default void headers(HttpServerResponse response, String requestId) {
    }
}
