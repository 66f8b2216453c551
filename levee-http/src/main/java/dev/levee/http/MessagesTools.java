package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.ChatRequest;
import dev.levee.Tool;
import dev.levee.ToolChoice;
import dev.levee.http.ChatCompletionRequest.Invalid;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A Messages API request's {@code tools} and {@code tool_choice}, as Anthropic documents them. */
final class MessagesTools {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,128}");

    private MessagesTools() {
    }

    /**
     * Custom tools ({@code type} absent or {@code custom}). Anthropic's own typed tools (web search,
     * code execution, bash, the text editor, computer use) run on Anthropic's side or have a schema
     * only Claude knows: a 400 naming the type.
     */
    static List<Tool> tools(JsonNode tools, Set<String> notApplied) throws Invalid {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray() || tools.size() > WireTools.MAX_TOOLS) {
            throw new Invalid("tools", "tools must be an array of at most " + WireTools.MAX_TOOLS + " tools");
        }
        List<Tool> out = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String at = "tools." + i;
            if (!t.isObject()) {
                throw new Invalid(at, at + " must be an object");
            }
            String type = Text.optional(t, "type", at + ".type");
            if (type != null && !type.equals("custom")) {
                throw new Invalid(at + ".type", at + ": tools of type '" + Text.abbreviate(type)
                        + "' are Anthropic's own and not supported by levee: declare a custom tool with an input_schema");
            }
            String name = Text.optional(t, "name", at + ".name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw new Invalid(at + ".name", at + ".name must be 1-128 letters, digits, _ or -");
            }
            JsonNode schema = t.get("input_schema");
            if (schema == null || !schema.isObject()) {
                throw new Invalid(at + ".input_schema", at + ".input_schema must be a JSON Schema object");
            }
            JsonNode strict = t.get("strict");
            if (strict != null && !strict.isNull() && !strict.isBoolean()) {
                throw new Invalid(at + ".strict", at + ".strict must be a boolean");
            }
            MessagesContent.noteCacheControl(t, notApplied);
            out.add(new Tool(name, Text.optional(t, "description", at + ".description"), schema,
                    strict == null || strict.isNull() ? null : strict.asBoolean()));
        }
        return out;
    }

    /** {@code auto}, {@code any}, {@code tool} (by name) or {@code none}; {@code disable_parallel_tool_use}. */
    static void toolChoice(JsonNode choice, List<Tool> tools, ChatRequest.Builder b) throws Invalid {
        if (choice == null || choice.isNull()) {
            return;
        }
        String type = choice.isObject() ? choice.path("type").asText("") : "";
        ToolChoice mode = switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "any" -> ToolChoice.REQUIRED;
            case "tool" -> named(choice, tools);
            default -> throw new Invalid("tool_choice.type", "tool_choice.type must be auto, any, tool or none");
        };
        if ((mode == ToolChoice.REQUIRED) && tools.isEmpty()) {
            throw new Invalid("tool_choice", "tool_choice: a tool must be used but tools is empty");
        }
        b.toolChoice(mode);
        JsonNode parallel = choice.get("disable_parallel_tool_use");
        if (parallel != null && !parallel.isNull()) {
            if (!parallel.isBoolean() || type.equals("none")) {
                throw new Invalid("tool_choice.disable_parallel_tool_use",
                        "tool_choice.disable_parallel_tool_use must be a boolean, with auto, any or tool");
            }
            if (parallel.asBoolean()) {
                b.parallelToolCalls(false);
            }
        }
    }

    private static ToolChoice named(JsonNode choice, List<Tool> tools) throws Invalid {
        String name = Text.optional(choice, "name", "tool_choice.name");
        if (name == null) {
            throw new Invalid("tool_choice.name", "tool_choice.name is required with type tool");
        }
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new Invalid("tool_choice.name", "tool_choice.name '" + Text.abbreviate(name) + "' is not in tools");
        }
        return ToolChoice.function(name);
    }
}
