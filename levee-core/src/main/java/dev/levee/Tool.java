package dev.levee;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name the function's name
 * @param description what it does, or {@code null}
 * @param parameters its arguments as a JSON Schema object, or {@code null} for none
 * @param strict OpenAI's strict schema adherence, or {@code null}
 */
public record Tool(String name, String description, JsonNode parameters, Boolean strict) {
    public Tool {
        Objects.requireNonNull(name, "name");
    }
}
