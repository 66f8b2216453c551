package dev.levee;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The shape the answer must have: free text, any JSON object, or JSON matching a schema.
 *
 * @param type text, json_object or json_schema
 * @param name the schema's name (json_schema), or {@code null}
 * @param schema the JSON Schema (json_schema), or {@code null}
 * @param strict OpenAI's strict adherence (json_schema), or {@code null}
 */
public record ResponseFormat(Type type, String name, JsonNode schema, Boolean strict) {
    public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }

    public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, null);
    public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, null);

    public ResponseFormat {
        Objects.requireNonNull(type, "type");
        if (type == Type.JSON_SCHEMA && (schema == null || !schema.isObject())) {
            throw new IllegalArgumentException("a json_schema response format needs a schema object");
        }
    }

    public static ResponseFormat jsonSchema(String name, JsonNode schema, Boolean strict) {
        return new ResponseFormat(Type.JSON_SCHEMA, name, schema, strict);
    }

    /** Whether the answer must be JSON. */
    public boolean json() {
        return type != Type.TEXT;
    }
}
