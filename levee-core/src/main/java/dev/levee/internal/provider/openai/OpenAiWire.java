package dev.levee.internal.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.ChatRequest;
import dev.levee.ContentPart;
import dev.levee.Message;
import dev.levee.Provenance;
import dev.levee.ResponseFormat;
import dev.levee.Tool;
import dev.levee.ToolCall;
import dev.levee.ToolCallDelta;
import dev.levee.ToolChoice;
import dev.levee.internal.provider.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Chat Completions wire format both ways: a request as the caller sent it — every field,
 * unknown ones included, with only the tier's caps replaced — and tool calls, log probabilities and
 * provenance read back. levee's HTTP face speaks the same format, so this is a faithful relay.
 */
public final class OpenAiWire {
    /** The caller's name for the output limit when it was not {@code max_tokens}. */
    public static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

    private OpenAiWire() {
    }

    /** The body for {@code model}: typed fields first, then every other field the caller sent. */
    public static ObjectNode request(String model, ChatRequest r) {
        ObjectNode body = Json.object();
        body.put("model", model);
        messages(body.putArray("messages"), r.messages());
        if (r.maxTokens() != null) {
            body.put(r.extra().containsKey(MAX_COMPLETION_TOKENS) ? MAX_COMPLETION_TOKENS : "max_tokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            body.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            body.put("top_p", r.topP());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (!r.tools().isEmpty()) {
            tools(body.putArray("tools"), r.tools());
        }
        if (r.toolChoice() != null) {
            body.set("tool_choice", toolChoice(r.toolChoice()));
        }
        if (r.parallelToolCalls() != null) {
            body.put("parallel_tool_calls", r.parallelToolCalls());
        }
        if (r.responseFormat() != null) {
            body.set("response_format", responseFormat(r.responseFormat()));
        }
        if (r.logprobs() != null) {
            body.put("logprobs", r.logprobs());
        }
        if (r.topLogprobs() != null) {
            body.put("top_logprobs", r.topLogprobs());
        }
        for (Map.Entry<String, JsonNode> e : r.extra().entrySet()) {
            if (!body.has(e.getKey())) {
                body.set(e.getKey(), e.getValue());
            }
        }
        return body;
    }

    static void messages(ArrayNode array, List<Message> messages) {
        for (Message m : messages) {
            ObjectNode o = array.addObject().put("role", m.role().wireName());
            if (m.parts().isEmpty()) {
                o.putNull("content");
            } else if (m.plainText()) {
                o.put("content", m.content());
            } else {
                ArrayNode parts = o.putArray("content");
                for (ContentPart part : m.parts()) {
                    if (part instanceof ContentPart.Text t) {
                        parts.addObject().put("type", "text").put("text", t.text());
                    } else if (part instanceof ContentPart.Image i) {
                        ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url")
                                .put("url", i.url());
                        if (i.detail() != null) {
                            url.put("detail", i.detail());
                        }
                    }
                }
            }
            if (m.name() != null) {
                o.put("name", m.name());
            }
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = o.putArray("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                            .put("name", c.name()).put("arguments", c.arguments());
                }
            }
            if (m.toolCallId() != null) {
                o.put("tool_call_id", m.toolCallId());
            }
        }
    }

    static void tools(ArrayNode array, List<Tool> tools) {
        for (Tool t : tools) {
            ObjectNode f = array.addObject().put("type", "function").putObject("function").put("name", t.name());
            if (t.description() != null) {
                f.put("description", t.description());
            }
            if (t.parameters() != null) {
                f.set("parameters", t.parameters());
            }
            if (t.strict() != null) {
                f.put("strict", t.strict());
            }
        }
    }

    static JsonNode toolChoice(ToolChoice choice) {
        if (choice.mode() != ToolChoice.Mode.FUNCTION) {
            return Json.text(choice.mode().name().toLowerCase(Locale.ROOT));
        }
        ObjectNode o = Json.object().put("type", "function");
        o.putObject("function").put("name", choice.function());
        return o;
    }

    static JsonNode responseFormat(ResponseFormat format) {
        ObjectNode o = Json.object().put("type", format.type().name().toLowerCase(Locale.ROOT));
        if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
            ObjectNode schema = o.putObject("json_schema").put("name", format.name() == null ? "response" : format.name());
            schema.set("schema", format.schema());
            if (format.strict() != null) {
                schema.put("strict", format.strict());
            }
        }
        return o;
    }

    /** A message's {@code tool_calls}, or an empty list. */
    static List<ToolCall> toolCalls(JsonNode calls) {
        if (calls == null || !calls.isArray()) {
            return List.of();
        }
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (JsonNode c : calls) {
            JsonNode f = c.path("function");
            out.add(new ToolCall(c.path("id").asText(""), f.path("name").asText(""), f.path("arguments").asText("")));
        }
        return out;
    }

    /** A chunk delta's {@code tool_calls}, or an empty list. */
    static List<ToolCallDelta> toolCallDeltas(JsonNode calls) {
        if (calls == null || !calls.isArray()) {
            return List.of();
        }
        List<ToolCallDelta> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            JsonNode c = calls.get(i);
            JsonNode f = c.path("function");
            out.add(new ToolCallDelta(c.path("index").asInt(i), Json.text(c, "id"), Json.text(f, "name"),
                    Json.text(f, "arguments")));
        }
        return out;
    }

    static Provenance provenance(JsonNode body) {
        String id = Json.text(body, "id");
        JsonNode created = body.get("created");
        String fingerprint = Json.text(body, "system_fingerprint");
        if (id == null && created == null && fingerprint == null) {
            return Provenance.NONE;
        }
        return new Provenance(id, created != null && created.canConvertToLong() ? created.asLong() : null, fingerprint);
    }

    /** A logprobs member worth passing on, or {@code null}. */
    static JsonNode logprobs(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
