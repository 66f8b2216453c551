package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.ContentPart;
import dev.levee.Message;
import dev.levee.Role;
import dev.levee.ToolCall;
import dev.levee.http.ChatCompletionRequest.Invalid;
import java.util.ArrayList;
import java.util.List;

/** The {@code messages} of a Chat Completions request, checked so every mistake names its place. */
final class WireMessages {
    static final int MAX_MESSAGES = 4096;
    static final int MAX_PARTS = 256;

    private WireMessages() {
    }

    static List<Message> read(JsonNode messages) throws Invalid {
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
            out.add(message(messages.get(i), "messages[" + i + "]"));
        }
        if (out.stream().allMatch(m -> m.role().instructs())) {
            throw new Invalid("messages", "messages must contain at least one user or assistant message");
        }
        return out;
    }

    private static Message message(JsonNode m, String param) throws Invalid {
        if (!m.isObject()) {
            throw new Invalid(param, param + " must be an object");
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw new Invalid(param + ".role", param + ".role must be a string");
        }
        Role role = Role.fromWireName(roleNode.asText());
        if (role == null) {
            throw new Invalid(param + ".role", "unsupported role '" + Text.abbreviate(roleNode.asText())
                    + "': use system, developer, user, assistant or tool");
        }
        String name = Text.optional(m, "name", param + ".name");
        List<ToolCall> calls = role == Role.ASSISTANT ? toolCalls(m.get("tool_calls"), param + ".tool_calls") : List.of();
        if (role != Role.ASSISTANT && m.hasNonNull("tool_calls")) {
            throw new Invalid(param + ".tool_calls", "only assistant messages carry tool_calls");
        }
        String toolCallId = null;
        if (role == Role.TOOL) {
            toolCallId = Text.optional(m, "tool_call_id", param + ".tool_call_id");
            if (toolCallId == null || toolCallId.isEmpty()) {
                throw new Invalid(param + ".tool_call_id", param + ".tool_call_id is required for a tool message");
            }
        }
        JsonNode content = m.get("content");
        List<ContentPart> parts;
        if ((content == null || content.isNull()) && !calls.isEmpty()) {
            parts = List.of(); // an assistant turn that only calls tools
        } else {
            parts = content(content, param + ".content", role == Role.USER);
        }
        return new Message(role, parts, calls, toolCallId, name);
    }

    /** A string, or an array of text parts (and, from a user, image parts). */
    private static List<ContentPart> content(JsonNode content, String param, boolean imagesAllowed) throws Invalid {
        if (content == null || content.isNull()) {
            throw new Invalid(param, param + " is required");
        }
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw new Invalid(param, param + " must be a string or an array of content parts");
        }
        if (content.size() > MAX_PARTS) {
            throw new Invalid(param, param + " may contain at most " + MAX_PARTS + " parts");
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String at = param + "[" + i + "]";
            String type = part.isObject() ? part.path("type").asText("") : "";
            switch (type) {
                case "text" -> {
                    if (!part.path("text").isTextual()) {
                        throw new Invalid(at + ".text", at + ".text must be a string");
                    }
                    parts.add(new ContentPart.Text(part.get("text").asText()));
                }
                case "image_url" -> {
                    if (!imagesAllowed) {
                        throw new Invalid(at, "image parts are only allowed in user messages");
                    }
                    parts.add(image(part.path("image_url"), at + ".image_url"));
                }
                default -> throw new Invalid(at + ".type", "content part type '" + Text.abbreviate(type)
                        + "' is not supported: use text or image_url");
            }
        }
        return parts;
    }

    private static ContentPart.Image image(JsonNode image, String param) throws Invalid {
        if (!image.isObject() || !image.path("url").isTextual()) {
            throw new Invalid(param + ".url", param + ".url must be a string");
        }
        String url = image.get("url").asText();
        boolean data = url.startsWith("data:image/") && url.contains(";base64,");
        if (!data && !url.startsWith("https://") && !url.startsWith("http://")) {
            throw new Invalid(param + ".url", param + ".url must be an http(s) URL or a data:image/...;base64, URI");
        }
        String detail = Text.optional(image, "detail", param + ".detail");
        if (detail != null && !List.of("auto", "low", "high").contains(detail)) {
            throw new Invalid(param + ".detail", param + ".detail must be auto, low or high");
        }
        return new ContentPart.Image(url, detail);
    }

    private static List<ToolCall> toolCalls(JsonNode calls, String param) throws Invalid {
        if (calls == null || calls.isNull()) {
            return List.of();
        }
        if (!calls.isArray()) {
            throw new Invalid(param, param + " must be an array");
        }
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            JsonNode c = calls.get(i);
            String at = param + "[" + i + "]";
            if (!c.isObject() || !"function".equals(c.path("type").asText("function"))) {
                throw new Invalid(at, at + " must be an object of type function");
            }
            String id = Text.optional(c, "id", at + ".id");
            JsonNode f = c.path("function");
            String name = f.isObject() ? Text.optional(f, "name", at + ".function.name") : null;
            String arguments = f.isObject() ? Text.optional(f, "arguments", at + ".function.arguments") : null;
            if (id == null || name == null) {
                throw new Invalid(at, at + " needs an id and function.name");
            }
            out.add(new ToolCall(id, name, arguments == null ? "" : arguments));
        }
        return out;
    }
}
