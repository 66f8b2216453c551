package dev.levee.internal.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.ContentPart;
import dev.levee.Message;
import dev.levee.ResponseFormat;
import dev.levee.Role;
import dev.levee.Tool;
import dev.levee.ToolCall;
import dev.levee.ToolChoice;
import dev.levee.internal.provider.Json;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import java.util.List;

/**
 * The Messages API for what OpenAI clients send: instructions as the system prompt; turns as
 * content blocks, consecutive turns of one role merged (Anthropic wants them alternating); tool
 * calls as {@code tool_use} and tool results as {@code tool_result} blocks; images as {@code image}
 * blocks; and a JSON answer as a forced call of a tool whose input schema is the requested one —
 * Anthropic's own way to make a model produce JSON of a given shape.
 */
final class AnthropicWire {
    /** The tool a JSON answer is asked for through. */
    static final String JSON_TOOL = "json_response";

    private AnthropicWire() {
    }

    /** Whether the call wants JSON, asked for as a forced tool call. */
    static boolean jsonMode(ProviderCall call) {
        return call.responseFormat() != null && call.responseFormat().json();
    }

    static void messages(ObjectNode body, List<Message> messages, String adapter) {
        StringBuilder system = new StringBuilder();
        ArrayNode out = body.putArray("messages");
        ObjectNode current = null;
        String currentRole = null;
        for (Message m : messages) {
            if (m.role().instructs()) {
                system.append(system.length() > 0 ? "\n\n" : "").append(m.content());
                continue;
            }
            String role = m.role() == Role.ASSISTANT ? "assistant" : "user"; // tool results come from the user
            if (!role.equals(currentRole)) {
                current = out.addObject().put("role", role);
                current.putArray("content");
                currentRole = role;
            }
            blocks((ArrayNode) current.get("content"), m, adapter);
        }
        if (system.length() > 0) {
            body.put("system", system.toString());
        }
    }

    private static void blocks(ArrayNode content, Message m, String adapter) {
        if (m.role() == Role.TOOL) {
            content.addObject().put("type", "tool_result").put("tool_use_id", m.toolCallId()).put("content", m.content());
            return;
        }
        for (ContentPart part : m.parts()) {
            if (part instanceof ContentPart.Text t) {
                if (!t.text().isEmpty()) {
                    content.addObject().put("type", "text").put("text", t.text());
                }
            } else if (part instanceof ContentPart.Image image) {
                ObjectNode source = content.addObject().put("type", "image").putObject("source");
                if (image.dataBase64() != null) {
                    source.put("type", "base64").put("media_type", image.dataMediaType()).put("data", image.dataBase64());
                } else {
                    source.put("type", "url").put("url", image.url());
                }
            }
        }
        for (ToolCall c : m.toolCalls()) {
            JsonNode input = c.arguments().isBlank() ? Json.object() : Json.parseOrNull(c.arguments());
            if (input == null || !input.isObject()) {
                throw new ProviderException(FailureKind.UNSUPPORTED, 0,
                        adapter + " needs tool-call arguments as a JSON object", null);
            }
            content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name()).set("input", input);
        }
    }

    /** Tools and the tool choice; a JSON answer becomes a forced call of {@value #JSON_TOOL}. */
    static void tools(ObjectNode body, ProviderCall call, String adapter) {
        if (Boolean.TRUE.equals(call.request().logprobs()) || call.request().topLogprobs() != null) {
            throw new ProviderException(FailureKind.UNSUPPORTED, 0, adapter + " returns no log probabilities", null);
        }
        ResponseFormat format = call.responseFormat();
        if (jsonMode(call)) {
            if (!call.tools().isEmpty()) {
                throw new ProviderException(FailureKind.UNSUPPORTED, 0,
                        adapter + " cannot take tools and a JSON response format together", null);
            }
            JsonNode schema = format.type() == ResponseFormat.Type.JSON_SCHEMA ? format.schema()
                    : Json.object().put("type", "object");
            body.putArray("tools").addObject().put("name", JSON_TOOL)
                    .put("description", "Answer with this tool's input: the answer as JSON.").set("input_schema", schema);
            body.putObject("tool_choice").put("type", "tool").put("name", JSON_TOOL);
            return;
        }
        if (call.tools().isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (Tool t : call.tools()) {
            ObjectNode tool = tools.addObject().put("name", t.name());
            if (t.description() != null) {
                tool.put("description", t.description());
            }
            tool.set("input_schema", t.parameters() != null ? t.parameters() : Json.object().put("type", "object"));
        }
        ToolChoice choice = call.toolChoice();
        Boolean parallel = call.request().parallelToolCalls();
        if (choice != null || Boolean.FALSE.equals(parallel)) {
            ObjectNode c = body.putObject("tool_choice");
            ToolChoice.Mode mode = choice == null ? ToolChoice.Mode.AUTO : choice.mode();
            switch (mode) {
                case NONE -> c.put("type", "none");
                case AUTO -> c.put("type", "auto");
                case REQUIRED -> c.put("type", "any");
                case FUNCTION -> c.put("type", "tool").put("name", choice.function());
            }
            if (Boolean.FALSE.equals(parallel) && mode != ToolChoice.Mode.NONE) {
                c.put("disable_parallel_tool_use", true);
            }
        }
    }
}
