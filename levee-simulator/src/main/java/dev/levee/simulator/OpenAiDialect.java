package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** OpenAI's {@code /v1/chat/completions}: JSON or SSE chunks ending in {@code data: [DONE]}. */
final class OpenAiDialect implements Dialect {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    @Override
    public String api() {
        return "openai";
    }

    @Override
    public boolean streamByDefault() {
        return false;
    }

    @Override
    public ChatCall parse(JsonNode body) {
        BodyFields.object(body);
        String model = BodyFields.requiredText(body, "model");
        List<ChatCall.Turn> turns = BodyFields.turns(body, ROLES, true);
        Integer maxTokens = BodyFields.optionalInt(body, "max_completion_tokens", 1);
        Integer legacyMax = BodyFields.optionalInt(body, "max_tokens", 1);
        boolean stream = BodyFields.optionalBoolean(body, "stream", false);
        BodyFields.optionalNumbers(body, "temperature", "top_p", "presence_penalty", "frequency_penalty");
        JsonNode options = body.path("stream_options");
        boolean includeUsage = options.isObject() && BodyFields.optionalBoolean(options, "include_usage", false);
        return new ChatCall(model, stream, turns, maxTokens != null ? maxTokens : legacyMax, includeUsage,
                shape(body));
    }

    /** Tools, tool choice, response format and log probabilities, as OpenAI spells them. */
    private static ChatCall.Shape shape(JsonNode body) {
        List<ChatCall.ToolSpec> tools = new ArrayList<>();
        for (JsonNode t : body.path("tools")) {
            JsonNode f = t.path("function");
            if (!f.path("name").isTextual()) {
                throw new BadRequest("tools: each tool needs function.name", "tools");
            }
            tools.add(new ChatCall.ToolSpec(f.get("name").asText(), f.get("parameters")));
        }
        JsonNode choice = body.path("tool_choice");
        String toolChoice = choice.isTextual() ? choice.asText()
                : choice.path("function").path("name").asText("auto");
        JsonNode format = body.path("response_format");
        String type = format.path("type").asText("text");
        JsonNode schema = "json_schema".equals(type) ? format.path("json_schema").get("schema") : null;
        if ("json_schema".equals(type) && (schema == null || !schema.isObject())) {
            throw new BadRequest("response_format.json_schema.schema: must be an object", "response_format");
        }
        return new ChatCall.Shape(tools, toolChoice, schema, "json_object".equals(type),
                body.path("logprobs").asBoolean(false));
    }

    @Override
    public SimError modelNotFound(String model) {
        return new SimError(404, SimError.Kind.MODEL_NOT_FOUND, "The model `" + model
                + "` does not exist or you do not have access to it.", "model", null);
    }

    @Override
    public Buffer errorBody(SimError error) {
        return Json.buffer(errorObject(error));
    }

    static ObjectNode errorObject(SimError error) {
        ObjectNode inner = Json.object()
                .put("message", error.message())
                .put("type", type(error.kind()))
                .put("param", error.param())
                .put("code", code(error.kind()));
        ObjectNode root = Json.object();
        root.set("error", inner);
        return root;
    }

    private static String type(SimError.Kind kind) {
        return switch (kind) {
            case RATE_LIMIT -> "requests";
            case SERVER, OVERLOADED -> "server_error";
            default -> "invalid_request_error";
        };
    }

    private static String code(SimError.Kind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "invalid_api_key";
            case MODEL_NOT_FOUND -> "model_not_found";
            case RATE_LIMIT -> "rate_limit_exceeded";
            case CONTEXT_LENGTH -> "context_length_exceeded";
            case CONTENT_FILTER -> "content_policy_violation";
            case TOO_LARGE -> "request_too_large";
            default -> null;
        };
    }

    @Override
    public Buffer completion(ChatCall call, Answer answer, Timing timing) {
        ObjectNode message = Json.object().put("role", "assistant");
        if (answer.toolCall() != null) {
            message.putNull("content");
            message.putArray("tool_calls").addObject().put("id", answer.toolCall().id()).put("type", "function")
                    .putObject("function").put("name", answer.toolCall().name()).put("arguments", answer.text());
        } else {
            message.put("content", answer.text());
        }
        message.putNull("refusal");
        ObjectNode choice = Json.object().put("index", 0);
        choice.set("message", message);
        if (call.shape().logprobs()) {
            choice.set("logprobs", logprobs(answer.pieces()));
        } else {
            choice.putNull("logprobs");
        }
        choice.put("finish_reason", finishReason(answer));
        ObjectNode root = head(Json.id("chatcmpl-"), "chat.completion", call.model(), nowSeconds());
        root.putArray("choices").add(choice);
        root.set("usage", usage(answer));
        return Json.buffer(root);
    }

    @Override
    public StreamFormat stream(ChatCall call, Answer answer, Timing timing) {
        return new Chunks(call, answer, Json.id("chatcmpl-"), nowSeconds());
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static String finishReason(Answer answer) {
        return answer.toolCall() != null ? "tool_calls" : answer.truncated() ? "length" : "stop";
    }

    /** Made-up but well-formed log probabilities: one entry per piece, likelier the shorter it is. */
    private static ObjectNode logprobs(List<String> pieces) {
        ObjectNode logprobs = Json.object();
        ArrayNode content = logprobs.putArray("content");
        for (String piece : pieces) {
            ObjectNode entry = content.addObject().put("token", piece).put("logprob", -0.01 * piece.length());
            ArrayNode bytes = entry.putArray("bytes");
            for (byte b : piece.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                bytes.add(b & 0xff);
            }
            entry.putArray("top_logprobs");
        }
        logprobs.putNull("refusal");
        return logprobs;
    }

    private static ObjectNode head(String id, String object, String model, long created) {
        return Json.object()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", model)
                .put("system_fingerprint", "fp_levee_sim");
    }

    private static ObjectNode usage(Answer answer) {
        return Json.object()
                .put("prompt_tokens", answer.promptTokens())
                .put("completion_tokens", answer.completionTokens())
                .put("total_tokens", answer.promptTokens() + answer.completionTokens());
    }

    /** One completion's {@code chat.completion.chunk} events; they share the id and creation time. */
    private record Chunks(ChatCall call, Answer answer, String id, long created) implements StreamFormat {

        @Override
        public String contentType() {
            return "text/event-stream";
        }

        @Override
        public String open() {
            ObjectNode delta = Json.object().put("role", "assistant");
            if (answer.toolCall() == null) {
                return chunk(delta.put("content", ""), null, null);
            }
            delta.putNull("content");
            delta.putArray("tool_calls").addObject().put("index", 0).put("id", answer.toolCall().id())
                    .put("type", "function").putObject("function").put("name", answer.toolCall().name())
                    .put("arguments", "");
            return chunk(delta, null, null);
        }

        @Override
        public String piece(String text) {
            if (answer.toolCall() != null) {
                ObjectNode delta = Json.object();
                delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", text);
                return chunk(delta, null, null);
            }
            return chunk(Json.object().put("content", text), null,
                    call.shape().logprobs() ? logprobs(List.of(text)) : null);
        }

        @Override
        public String malformed() {
            return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":\n\n";
        }

        @Override
        public String finish(boolean terminator) {
            StringBuilder out = new StringBuilder(chunk(Json.object(), finishReason(answer), null));
            if (call.includeUsage()) {
                ObjectNode last = head(id, "chat.completion.chunk", call.model(), created);
                last.putArray("choices");
                last.set("usage", usage(answer));
                out.append(Sse.data(last));
            }
            if (terminator) {
                out.append("data: [DONE]\n\n");
            }
            return out.toString();
        }

        @Override
        public String error() {
            return Sse.data(errorObject(SimError.generationFailed()));
        }

        private String chunk(ObjectNode delta, String finishReason, ObjectNode logprobs) {
            ObjectNode choice = Json.object().put("index", 0);
            choice.set("delta", delta);
            if (logprobs != null) {
                choice.set("logprobs", logprobs);
            } else {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", finishReason);
            ObjectNode root = head(id, "chat.completion.chunk", call.model(), created);
            root.putArray("choices").add(choice);
            return Sse.data(root);
        }
    }
}
