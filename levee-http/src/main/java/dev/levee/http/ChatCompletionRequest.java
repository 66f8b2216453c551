package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.Message;
import dev.levee.Role;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI Chat Completions request body, read and checked field by field so every mistake is a
 * 400 that names the parameter. Fields levee does not act on (penalties, seed, response_format…)
 * are type-checked where cheap and otherwise ignored, as compatible servers do.
 */
record ChatCompletionRequest(ChatRequest request, boolean stream, boolean includeUsage) {
    static final int MAX_MESSAGES = 4096;
    static final int MAX_METADATA = 16;

    /** A body that cannot be served: the error to return. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ApiError error;

        Invalid(String param, String message) {
            super(message, null, false, false);
            this.error = ApiError.invalid(param, message);
        }
    }

    static ChatCompletionRequest from(JsonNode body, CallOptions.Builder options) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid(null, "the request body must be a JSON object");
        }
        ChatRequest.Builder b = ChatRequest.builder();
        b.route(optionalText(body, "model"));
        b.messages(messages(body.get("messages")));
        Integer maxTokens = positiveInt(body, "max_completion_tokens");
        b.maxTokens(maxTokens != null ? maxTokens : positiveInt(body, "max_tokens"));
        b.temperature(number(body, "temperature", 0, 2, true));
        Double topP = number(body, "top_p", 0, 1, false);
        b.topP(topP);
        number(body, "presence_penalty", -2, 2, true);
        number(body, "frequency_penalty", -2, 2, true);
        b.stop(stop(body.get("stop")));
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.asInt() != 1)) {
            throw new Invalid("n", "n must be 1: levee returns one choice");
        }
        boolean stream = bool(body, "stream");
        boolean includeUsage = false;
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                throw new Invalid("stream_options", "stream_options must be an object");
            }
            if (!stream) {
                throw new Invalid("stream_options", "stream_options is only allowed when stream is true");
            }
            includeUsage = bool(streamOptions, "include_usage");
        }
        for (String unsupported : List.of("tools", "functions", "tool_choice", "function_call")) {
            JsonNode v = body.get(unsupported);
            if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty())) {
                throw new Invalid(unsupported, unsupported + " is not supported by this gateway");
            }
        }
        Map<String, String> merged = new LinkedHashMap<>(options.build().metadata());
        merged.putAll(metadata(body));
        options.metadata(merged);
        b.options(options.build());
        return new ChatCompletionRequest(b.build(), stream, includeUsage);
    }

    private static List<Message> messages(JsonNode messages) throws Invalid {
        if (messages == null || messages.isNull()) {
            throw new Invalid("messages", "messages is required");
        }
        if (!messages.isArray()) {
            throw new Invalid("messages", "messages must be an array");
        }
        if (messages.isEmpty()) {
            throw new Invalid("messages", "messages must contain at least one message");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new Invalid("messages", "messages may contain at most " + MAX_MESSAGES + " messages");
        }
        List<Message> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String param = "messages[" + i + "]";
            if (!m.isObject()) {
                throw new Invalid(param, param + " must be an object");
            }
            JsonNode roleNode = m.get("role");
            if (roleNode == null || !roleNode.isTextual()) {
                throw new Invalid(param + ".role", param + ".role must be a string");
            }
            Role role = Role.fromWireName(roleNode.asText());
            if (role == null) {
                throw new Invalid(param + ".role", "unsupported role '" + abbreviate(roleNode.asText())
                        + "': use system, developer, user or assistant");
            }
            out.add(new Message(role, content(m.get("content"), param + ".content")));
        }
        if (out.stream().allMatch(m -> m.role() == Role.SYSTEM)) {
            throw new Invalid("messages", "messages must contain at least one user or assistant message");
        }
        return out;
    }

    /** A string, or an array of content parts of which only text parts are supported. */
    private static String content(JsonNode content, String param) throws Invalid {
        if (content == null || content.isNull()) {
            throw new Invalid(param, param + " is required");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new Invalid(param, param + " must be a string or an array of content parts");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText("");
            if (!"text".equals(type) || !part.path("text").isTextual()) {
                throw new Invalid(param + "[" + i + "]", "only text content parts are supported");
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }

    private static List<String> stop(JsonNode stop) throws Invalid {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (!stop.isArray() || stop.size() > 4) {
            throw new Invalid("stop", "stop must be a string or an array of at most 4 strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : stop) {
            if (!s.isTextual()) {
                throw new Invalid("stop", "stop must be a string or an array of at most 4 strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    /** OpenAI's {@code metadata} (string values) and {@code user}, for telemetry. */
    private static Map<String, String> metadata(JsonNode body) throws Invalid {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject() || metadata.size() > MAX_METADATA) {
                throw new Invalid("metadata", "metadata must be an object of at most " + MAX_METADATA + " strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = metadata.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual() || e.getKey().length() > 64 || e.getValue().asText().length() > 512) {
                    throw new Invalid("metadata." + abbreviate(e.getKey()),
                            "metadata values must be strings (keys up to 64, values up to 512 characters)");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        String user = optionalText(body, "user");
        if (user != null) {
            out.put("user", user);
        }
        return out;
    }

    private static String optionalText(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid(field, field + " must be a string");
        }
        return v.asText();
    }

    private static Integer positiveInt(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw new Invalid(field, field + " must be an integer >= 1");
        }
        return v.asInt();
    }

    private static Double number(JsonNode body, String field, double min, double max, boolean minInclusive)
            throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        double d = v.asDouble();
        if (!v.isNumber() || d > max || d < min || (!minInclusive && d == min)) {
            throw new Invalid(field, field + " must be a number " + (minInclusive ? ">= " : "> ") + trim(min)
                    + " and <= " + trim(max));
        }
        return d;
    }

    private static boolean bool(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new Invalid(field, field + " must be a boolean");
        }
        return v.asBoolean();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
