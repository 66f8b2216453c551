package dev.levee.internal.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.ContentPart;
import dev.levee.Message;
import dev.levee.ResponseFormat;
import dev.levee.Role;
import dev.levee.Tool;
import dev.levee.ToolCall;
import dev.levee.ToolCallDelta;
import dev.levee.ToolChoice;
import dev.levee.internal.provider.Json;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ollama's {@code /api/chat} for what OpenAI clients send: images inline as base64, tool calls with
 * their arguments as JSON objects, tool results by function name, {@code format} for JSON output.
 */
final class OllamaWire {
    private OllamaWire() {
    }

    static void messages(ObjectNode body, List<Message> messages, String adapter) {
        Map<String, String> callNames = new HashMap<>();
        ArrayNode array = body.putArray("messages");
        for (Message m : messages) {
            ObjectNode o = array.addObject().put("role", m.role().instructs() ? "system" : m.role().wireName())
                    .put("content", m.content());
            List<String> images = new ArrayList<>();
            for (ContentPart part : m.parts()) {
                if (part instanceof ContentPart.Image image) {
                    if (image.dataBase64() == null) {
                        throw refused(adapter, "takes images inline only: send them as data: URIs");
                    }
                    images.add(image.dataBase64());
                }
            }
            if (!images.isEmpty()) {
                ArrayNode list = o.putArray("images");
                images.forEach(list::add);
            }
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = o.putArray("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    callNames.put(c.id(), c.name());
                    JsonNode arguments = c.arguments().isBlank() ? Json.object() : Json.parseOrNull(c.arguments());
                    if (arguments == null || !arguments.isObject()) {
                        throw refused(adapter, "needs tool-call arguments as a JSON object");
                    }
                    calls.addObject().putObject("function").put("name", c.name()).set("arguments", arguments);
                }
            }
            if (m.role() == Role.TOOL && callNames.containsKey(m.toolCallId())) {
                o.put("tool_name", callNames.get(m.toolCallId()));
            }
        }
    }

    /** Tools and the answer's format; a forced tool choice has no Ollama equivalent and is refused. */
    static void shape(ObjectNode body, ProviderCall call, String adapter) {
        ToolChoice choice = call.toolChoice();
        if (choice != null && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.FUNCTION)) {
            throw refused(adapter, "cannot be made to call a tool (tool_choice)");
        }
        if (Boolean.TRUE.equals(call.request().logprobs()) || call.request().topLogprobs() != null) {
            throw refused(adapter, "returns no log probabilities");
        }
        if (!call.tools().isEmpty() && (choice == null || choice.mode() != ToolChoice.Mode.NONE)) {
            ArrayNode tools = body.putArray("tools");
            for (Tool t : call.tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function").put("name", t.name());
                if (t.description() != null) {
                    f.put("description", t.description());
                }
                f.set("parameters", t.parameters() != null ? t.parameters() : Json.object().put("type", "object"));
            }
        }
        ResponseFormat format = call.responseFormat();
        if (format != null && format.type() == ResponseFormat.Type.JSON_OBJECT) {
            body.put("format", "json");
        } else if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA) {
            body.set("format", format.schema());
        }
    }

    /** A message's tool calls, with ids made up: Ollama gives none, and clients echo them back. */
    static List<ToolCall> toolCalls(JsonNode calls) {
        if (calls == null || !calls.isArray()) {
            return List.of();
        }
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (JsonNode c : calls) {
            JsonNode f = c.path("function");
            JsonNode arguments = f.path("arguments");
            out.add(new ToolCall(newId(), f.path("name").asText(""),
                    arguments.isTextual() ? arguments.asText() : arguments.isMissingNode() ? "{}" : arguments.toString()));
        }
        return out;
    }

    /** Ollama streams each tool call whole, in one line: one delta per call, carrying everything. */
    static List<ToolCallDelta> toolCallDeltas(JsonNode calls, int firstIndex) {
        List<ToolCallDelta> out = new ArrayList<>();
        int index = firstIndex;
        for (ToolCall c : toolCalls(calls)) {
            out.add(new ToolCallDelta(index++, c.id(), c.name(), c.arguments()));
        }
        return out;
    }

    private static String newId() {
        return "call_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static ProviderException refused(String adapter, String what) {
        return new ProviderException(FailureKind.UNSUPPORTED, 0, adapter + " " + what, null);
    }
}
