package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.ResponseFormat;
import dev.levee.Tool;
import dev.levee.ToolChoice;
import dev.levee.http.ChatCompletionRequest.Invalid;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@code tools}, {@code tool_choice} and {@code response_format}, checked as OpenAI documents them. */
final class WireTools {
    static final int MAX_TOOLS = 128;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private WireTools() {
    }

    static List<Tool> tools(JsonNode tools) throws Invalid {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray() || tools.size() > MAX_TOOLS) {
            throw new Invalid("tools", "tools must be an array of at most " + MAX_TOOLS + " tools");
        }
        List<Tool> out = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String at = "tools[" + i + "]";
            if (!t.isObject() || !"function".equals(t.path("type").asText()) || !t.path("function").isObject()) {
                throw new Invalid(at, at + " must be {\"type\": \"function\", \"function\": {...}}");
            }
            JsonNode f = t.get("function");
            String name = Text.optional(f, "name", at + ".function.name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw new Invalid(at + ".function.name", at + ".function.name must be 1-64 letters, digits, _ or -");
            }
            JsonNode parameters = f.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw new Invalid(at + ".function.parameters", at + ".function.parameters must be a JSON Schema object");
            }
            JsonNode strict = f.get("strict");
            if (strict != null && !strict.isNull() && !strict.isBoolean()) {
                throw new Invalid(at + ".function.strict", at + ".function.strict must be a boolean");
            }
            out.add(new Tool(name, Text.optional(f, "description", at + ".function.description"),
                    parameters == null || parameters.isNull() ? null : parameters,
                    strict == null || strict.isNull() ? null : strict.asBoolean()));
        }
        return out;
    }

    static ToolChoice toolChoice(JsonNode choice, List<Tool> tools) throws Invalid {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "none" -> ToolChoice.NONE;
                case "auto" -> ToolChoice.AUTO;
                case "required" -> requireTools(ToolChoice.REQUIRED, tools);
                default -> throw new Invalid("tool_choice", "tool_choice must be none, auto, required or a function");
            };
        }
        String name = choice.isObject() && "function".equals(choice.path("type").asText())
                ? Text.optional(choice.path("function"), "name", "tool_choice.function.name") : null;
        if (name == null) {
            throw new Invalid("tool_choice", "tool_choice must be none, auto, required or "
                    + "{\"type\": \"function\", \"function\": {\"name\": ...}}");
        }
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new Invalid("tool_choice", "tool_choice names '" + Text.abbreviate(name) + "', which is not in tools");
        }
        return ToolChoice.function(name);
    }

    private static ToolChoice requireTools(ToolChoice choice, List<Tool> tools) throws Invalid {
        if (tools.isEmpty()) {
            throw new Invalid("tool_choice", "tool_choice is required but tools is empty");
        }
        return choice;
    }

    static ResponseFormat responseFormat(JsonNode format) throws Invalid {
        if (format == null || format.isNull()) {
            return null;
        }
        String type = format.isObject() ? format.path("type").asText("") : "";
        switch (type) {
            case "text":
                return ResponseFormat.TEXT;
            case "json_object":
                return ResponseFormat.JSON_OBJECT;
            case "json_schema":
                JsonNode spec = format.path("json_schema");
                if (!spec.isObject() || !spec.path("schema").isObject()) {
                    throw new Invalid("response_format.json_schema.schema",
                            "response_format.json_schema.schema must be a JSON Schema object");
                }
                String name = Text.optional(spec, "name", "response_format.json_schema.name");
                if (name == null || !NAME.matcher(name).matches()) {
                    throw new Invalid("response_format.json_schema.name",
                            "response_format.json_schema.name must be 1-64 letters, digits, _ or -");
                }
                JsonNode strict = spec.get("strict");
                if (strict != null && !strict.isNull() && !strict.isBoolean()) {
                    throw new Invalid("response_format.json_schema.strict",
                            "response_format.json_schema.strict must be a boolean");
                }
                return ResponseFormat.jsonSchema(name, spec.get("schema"),
                        strict == null || strict.isNull() ? null : strict.asBoolean());
            default:
                throw new Invalid("response_format.type", "response_format.type must be text, json_object or json_schema");
        }
    }
}
