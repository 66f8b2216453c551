package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A value that matches a JSON Schema, made up deterministically: what a model following a schema
 * (structured output, tool arguments) would produce. Strings take a word from the prompt, so
 * different prompts give different answers.
 */
final class SampleJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 8;

    private SampleJson() {
    }

    static JsonNode of(JsonNode schema, String prompt) {
        return value(schema == null ? NODES.objectNode() : schema, word(prompt), 0);
    }

    private static JsonNode value(JsonNode schema, String word, int depth) {
        if (depth > MAX_DEPTH) {
            return NODES.nullNode();
        }
        JsonNode choices = schema.has("enum") ? schema.get("enum") : null;
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            return choices.get(0);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        for (String alternative : new String[] {"anyOf", "oneOf", "allOf"}) {
            if (schema.path(alternative).isArray() && !schema.get(alternative).isEmpty()) {
                return value(schema.get(alternative).get(0), word, depth + 1);
            }
        }
        JsonNode type = schema.get("type");
        String t = type == null ? (schema.has("properties") ? "object" : "string")
                : type.isArray() ? firstNonNull(type) : type.asText();
        return switch (t) {
            case "object" -> object(schema, word, depth);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(value(schema.path("items").isObject() ? schema.get("items") : NODES.objectNode(), word,
                        depth + 1));
                yield array;
            }
            case "integer" -> NODES.numberNode(schema.path("minimum").asInt(1));
            case "number" -> NODES.numberNode(schema.path("minimum").asDouble(1.5));
            case "boolean" -> NODES.booleanNode(true);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(word);
        };
    }

    private static ObjectNode object(JsonNode schema, String word, int depth) {
        ObjectNode object = NODES.objectNode();
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            object.set(p.getKey(), value(p.getValue(), word, depth + 1));
        }
        return object;
    }

    private static String firstNonNull(JsonNode types) {
        for (JsonNode t : types) {
            if (!"null".equals(t.asText())) {
                return t.asText();
            }
        }
        return "null";
    }

    /** The prompt's longest word, letters only: a plausible argument ("Paris" from "Weather in Paris?"). */
    private static String word(String prompt) {
        String best = "sample";
        for (String w : prompt.split("[^\\p{L}]+")) {
            if (w.length() > best.length() || (best.equals("sample") && w.length() >= 3)) {
                best = w;
            }
        }
        return best;
    }
}
