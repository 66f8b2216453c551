package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/** One provider's wire format: how its requests read and how its answers, streams and errors look. */
interface Dialect {

    /** {@code "ollama"}, {@code "openai"} or {@code "anthropic"}, as recorded in the journal. */
    String api();

    boolean streamByDefault();

    /** An error for missing or bad headers (Anthropic's key and version), checked before the body. */
    default SimError checkHeaders(MultiMap headers) {
        return null;
    }

    /** @throws BadRequest when the body breaks the API's rules */
    ChatCall parse(JsonNode body);

    SimError modelNotFound(String model);

    Buffer errorBody(SimError error);

    Buffer completion(ChatCall call, Answer answer, Timing timing);

    StreamFormat stream(ChatCall call, Answer answer, Timing timing);

    /** When the request arrived and how long its first token took; Ollama reports durations from it. */
    record Timing(long receivedNanos, Duration timeToFirstToken) {

        long elapsedNanos() {
            return System.nanoTime() - receivedNanos;
        }
    }

    /** The text of one streamed response, event by event. */
    interface StreamFormat {

        String contentType();

        /** Sent with the response headers, before the first piece. */
        String open();

        String piece(String text);

        /** A syntactically broken event for the {@code malformed_at} fault. */
        String malformed();

        /** The closing events; with {@code terminator} false the last marker ([DONE], message_stop, done:true) is left out. */
        String finish(boolean terminator);

        /** The in-band error event for a failure after the 200 was sent. */
        String error();
    }
}
