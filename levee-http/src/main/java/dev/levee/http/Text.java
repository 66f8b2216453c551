package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.http.ChatCompletionRequest.Invalid;

/** Small checks of request fields shared by the readers. */
final class Text {
    private Text() {
    }

    /** A string field, {@code null} when absent or null; any other type is a 400 naming {@code param}. */
    static String optional(JsonNode object, String field, String param) throws Invalid {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid(param, param + " must be a string");
        }
        return v.asText();
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
