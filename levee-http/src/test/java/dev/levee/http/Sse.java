package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reads an SSE body the way a client would: the data lines, in order. */
final class Sse {
    static final ObjectMapper JSON = new ObjectMapper();

    record Parsed(List<JsonNode> events, boolean done, String text) {
    }

    static Parsed parse(String body) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        boolean done = false;
        StringBuilder text = new StringBuilder();
        for (String line : body.split("\n")) {
            if (!line.startsWith("data: ")) {
                continue;
            }
            String data = line.substring(6);
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode event = JSON.readTree(data);
            events.add(event);
            JsonNode delta = event.path("choices").path(0).path("delta").path("content");
            if (delta.isTextual()) {
                text.append(delta.asText());
            }
        }
        return new Parsed(events, done, text.toString());
    }
}
