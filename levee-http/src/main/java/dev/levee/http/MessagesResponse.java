package dev.levee.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.ToolCall;
import dev.levee.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** levee's answers in Anthropic's shapes: the {@code message} object, its parts, and the error object. */
final class MessagesResponse {
    private MessagesResponse() {
    }

    /** The provider's id when it is a Messages API id, else one made from the request id. */
    static String id(Provenance p, String requestId) {
        return p.id() != null && p.id().startsWith("msg_") ? p.id() : "msg_" + requestId;
    }

    static String stopReason(FinishReason finish) {
        if (finish == null) {
            return "end_turn";
        }
        return switch (finish) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    static Buffer message(ChatResponse r) {
        return Json.object(g -> {
            g.writeStringField("id", id(r.provenance(), r.requestId()));
            g.writeStringField("type", "message");
            g.writeStringField("role", "assistant");
            g.writeStringField("model", r.modelUsed());
            g.writeArrayFieldStart("content");
            if (!r.text().isEmpty() || r.toolCalls().isEmpty()) {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", r.text());
                g.writeEndObject();
            }
            for (ToolCall c : r.toolCalls()) {
                g.writeStartObject();
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", c.id());
                g.writeStringField("name", c.name());
                g.writeFieldName("input");
                g.writeTree(input(c.arguments()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("stop_reason", stopReason(r.finishReason()));
            g.writeNullField("stop_sequence");
            usage(g, r.usage());
        });
    }

    /**
     * A tool call's arguments as the {@code input} object. Arguments that are not a JSON object are
     * passed on as the string they are, never rewritten or dropped.
     */
    static JsonNode input(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments);
            return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.getNodeFactory().textNode(arguments);
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(arguments);
        }
    }

    /** {@code input_tokens}, {@code output_tokens}; {@code estimated: true} when levee counted them. */
    static void usage(JsonGenerator g, Usage usage) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("input_tokens", usage.promptTokens());
        g.writeNumberField("output_tokens", usage.completionTokens());
        if (usage.estimated()) {
            g.writeBooleanField("estimated", true);
        }
        g.writeEndObject();
    }

    /** {@code {"type": "error", "error": {"type", "message"}, "request_id"}}. */
    static Buffer error(String type, String message, String requestId) {
        return Json.object(g -> {
            g.writeStringField("type", "error");
            g.writeObjectFieldStart("error");
            g.writeStringField("type", type);
            g.writeStringField("message", message);
            g.writeEndObject();
            if (requestId != null) {
                g.writeStringField("request_id", requestId);
            }
        });
    }
}
