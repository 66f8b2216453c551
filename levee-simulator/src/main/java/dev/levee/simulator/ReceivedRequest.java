package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One chat request as the simulator received it, and how its response ended.
 *
 * @param api     {@code "ollama"}, {@code "openai"} or {@code "anthropic"}
 * @param model   the requested model, or {@code ""} when the body had none
 * @param body    the parsed body; a text node holding the raw text when it was not JSON, null node when too large
 * @param headers lower-case names; {@code authorization}, {@code x-api-key} and {@code api-key} values are {@code ***}
 */
public record ReceivedRequest(Instant receivedAt, String api, String path, String model, boolean stream,
                              JsonNode body, Map<String, String> headers, Outcome outcome) {

    public enum Outcome {
        /** The response is still being produced (or the request hangs or stalls on purpose). */
        IN_PROGRESS,
        /** A complete, fault-free answer was sent (latency-only faults count as fault-free). */
        COMPLETED,
        /** An injected fault decided how the response ended. */
        FAULTED,
        /** The client went away before the response ended. */
        CANCELLED,
        /** The request was invalid (bad JSON, missing fields, unknown model, too large, missing auth headers). */
        REJECTED
    }

    public ReceivedRequest {
        headers = Map.copyOf(headers);
    }

    ReceivedRequest withOutcome(Outcome next) {
        return new ReceivedRequest(receivedAt, api, path, model, stream, body, headers, next);
    }
}
