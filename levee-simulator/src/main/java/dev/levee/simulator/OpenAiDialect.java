package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
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
        return new ChatCall(model, stream, turns, maxTokens != null ? maxTokens : legacyMax, includeUsage);
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
        ObjectNode message = Json.object().put("role", "assistant").put("content", answer.text());
        message.putNull("refusal");
        ObjectNode choice = Json.object().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
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
        return answer.truncated() ? "length" : "stop";
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
            return chunk(Json.object().put("role", "assistant").put("content", ""), null);
        }

        @Override
        public String piece(String text) {
            return chunk(Json.object().put("content", text), null);
        }

        @Override
        public String malformed() {
            return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":\n\n";
        }

        @Override
        public String finish(boolean terminator) {
            StringBuilder out = new StringBuilder(chunk(Json.object(), finishReason(answer)));
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

        private String chunk(ObjectNode delta, String finishReason) {
            ObjectNode choice = Json.object().put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            ObjectNode root = head(id, "chat.completion.chunk", call.model(), created);
            root.putArray("choices").add(choice);
            return Sse.data(root);
        }
    }
}
