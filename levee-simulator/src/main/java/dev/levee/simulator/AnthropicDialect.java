package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Anthropic's {@code /v1/messages}: a message object, or named SSE events from message_start to message_stop. */
final class AnthropicDialect implements Dialect {

    private static final Set<String> ROLES = Set.of("user", "assistant");

    @Override
    public String api() {
        return "anthropic";
    }

    @Override
    public boolean streamByDefault() {
        return false;
    }

    @Override
    public SimError checkHeaders(MultiMap headers) {
        String key = headers.get("x-api-key");
        if (key == null || key.isBlank()) {
            return new SimError(401, SimError.Kind.AUTHENTICATION, "x-api-key header is required", null, null);
        }
        String version = headers.get("anthropic-version");
        if (version == null || version.isBlank()) {
            return SimError.invalid("anthropic-version: header is required", null);
        }
        return null;
    }

    @Override
    public ChatCall parse(JsonNode body) {
        BodyFields.object(body);
        String model = BodyFields.requiredText(body, "model");
        Integer maxTokens = BodyFields.optionalInt(body, "max_tokens", 1);
        if (maxTokens == null) {
            throw new BadRequest("max_tokens: field required", "max_tokens");
        }
        List<ChatCall.Turn> turns = new ArrayList<>();
        String system = BodyFields.text(body.get("system"), "system");
        if (!system.isEmpty()) {
            turns.add(new ChatCall.Turn("system", system));
        }
        List<ChatCall.Turn> messages = BodyFields.turns(body, ROLES, true);
        for (int i = 0; i < messages.size(); i++) {
            String results = toolResults(body.path("messages").get(i).path("content"));
            turns.add(results != null ? new ChatCall.Turn("tool", results) : messages.get(i));
        }
        boolean stream = BodyFields.optionalBoolean(body, "stream", false);
        BodyFields.optionalNumbers(body, "temperature", "top_p", "top_k");
        return new ChatCall(model, stream, turns, maxTokens, false, shape(body));
    }

    /** The joined content of a turn's {@code tool_result} blocks, or {@code null} when it has none. */
    private static String toolResults(JsonNode content) {
        if (!content.isArray()) {
            return null;
        }
        StringBuilder text = null;
        for (JsonNode block : content) {
            if ("tool_result".equals(block.path("type").asText())) {
                text = text == null ? new StringBuilder() : text.append('\n');
                text.append(BodyFields.text(block.get("content"), "tool_result.content"));
            }
        }
        return text == null ? null : text.toString();
    }

    /** Tools ({@code input_schema}) and Anthropic's tool choice: auto, any, tool (by name), none. */
    private static ChatCall.Shape shape(JsonNode body) {
        List<ChatCall.ToolSpec> tools = new ArrayList<>();
        for (JsonNode t : body.path("tools")) {
            if (!t.path("name").isTextual()) {
                throw new BadRequest("tools: each tool needs a name", "tools");
            }
            tools.add(new ChatCall.ToolSpec(t.get("name").asText(), t.get("input_schema")));
        }
        JsonNode choice = body.path("tool_choice");
        String toolChoice = switch (choice.path("type").asText("auto")) {
            case "none" -> "none";
            case "any" -> "required";
            case "tool" -> choice.path("name").asText();
            default -> "auto";
        };
        return new ChatCall.Shape(tools, toolChoice, null, false, false);
    }

    @Override
    public SimError modelNotFound(String model) {
        return new SimError(404, SimError.Kind.MODEL_NOT_FOUND, "model: " + model, "model", null);
    }

    @Override
    public Buffer errorBody(SimError error) {
        return Json.buffer(errorObject(type(error.kind()), error.message()).put("request_id", Json.id("req_")));
    }

    private static ObjectNode errorObject(String type, String message) {
        ObjectNode root = Json.object().put("type", "error");
        root.set("error", Json.object().put("type", type).put("message", message));
        return root;
    }

    private static String type(SimError.Kind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND, MODEL_NOT_FOUND -> "not_found_error";
            case TOO_LARGE -> "request_too_large";
            case RATE_LIMIT -> "rate_limit_error";
            case SERVER -> "api_error";
            case OVERLOADED -> "overloaded_error";
            default -> "invalid_request_error";
        };
    }

    @Override
    public Buffer completion(ChatCall call, Answer answer, Timing timing) {
        ObjectNode message = message(Json.id("msg_"), call.model(), answer.promptTokens(), answer.completionTokens());
        if (answer.toolCall() != null) {
            message.withArray("content").addObject().put("type", "tool_use").put("id", answer.toolCall().id())
                    .put("name", answer.toolCall().name()).set("input", Json.parse(answer.text()));
        } else {
            message.withArray("content").addObject().put("type", "text").put("text", answer.text());
        }
        message.put("stop_reason", stopReason(answer));
        return Json.buffer(message);
    }

    @Override
    public StreamFormat stream(ChatCall call, Answer answer, Timing timing) {
        return new Events(call, answer, Json.id("msg_"));
    }

    private static String stopReason(Answer answer) {
        return answer.toolCall() != null ? "tool_use" : answer.truncated() ? "max_tokens" : "end_turn";
    }

    private static ObjectNode message(String id, String model, int inputTokens, int outputTokens) {
        ObjectNode message = Json.object()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", Json.object().put("input_tokens", inputTokens).put("output_tokens", outputTokens));
        return message;
    }

    private record Events(ChatCall call, Answer answer, String id) implements StreamFormat {

        @Override
        public String contentType() {
            return "text/event-stream";
        }

        @Override
        public String open() {
            ObjectNode start = Json.object().put("type", "message_start");
            start.set("message", message(id, call.model(), answer.promptTokens(), 1));
            ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
            if (answer.toolCall() != null) {
                ObjectNode block = Json.object().put("type", "tool_use").put("id", answer.toolCall().id())
                        .put("name", answer.toolCall().name());
                block.putObject("input");
                blockStart.set("content_block", block);
            } else {
                blockStart.set("content_block", Json.object().put("type", "text").put("text", ""));
            }
            return Sse.event("message_start", start)
                    + Sse.event("content_block_start", blockStart)
                    + Sse.event("ping", Json.object().put("type", "ping"));
        }

        @Override
        public String piece(String text) {
            ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 0);
            delta.set("delta", answer.toolCall() != null
                    ? Json.object().put("type", "input_json_delta").put("partial_json", text)
                    : Json.object().put("type", "text_delta").put("text", text));
            return Sse.event("content_block_delta", delta);
        }

        @Override
        public String malformed() {
            return "event: content_block_delta\n"
                    + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n";
        }

        @Override
        public String finish(boolean terminator) {
            ObjectNode delta = Json.object().put("type", "message_delta");
            ObjectNode stop = delta.putObject("delta").put("stop_reason", stopReason(answer));
            stop.putNull("stop_sequence");
            delta.set("usage", Json.object().put("output_tokens", answer.completionTokens()));
            String out = Sse.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0))
                    + Sse.event("message_delta", delta);
            return terminator ? out + Sse.event("message_stop", Json.object().put("type", "message_stop")) : out;
        }

        @Override
        public String error() {
            return Sse.event("error", errorObject("overloaded_error", "Overloaded (simulated)"));
        }
    }
}
