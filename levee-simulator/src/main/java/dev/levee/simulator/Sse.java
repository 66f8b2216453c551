package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/** Server-sent event framing. */
final class Sse {

    private Sse() {
    }

    static String data(JsonNode payload) {
        return "data: " + Json.write(payload) + "\n\n";
    }

    static String event(String name, JsonNode payload) {
        return "event: " + name + "\n" + data(payload);
    }
}
