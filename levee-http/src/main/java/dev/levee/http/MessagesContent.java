package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.ContentPart;
import dev.levee.Message;
import dev.levee.Role;
import dev.levee.ToolCall;
import dev.levee.http.ChatCompletionRequest.Invalid;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code system} and {@code messages} of a Messages API request as levee's conversation: text
 * and image blocks as parts, an assistant's {@code tool_use} blocks as tool calls, a user's {@code
 * tool_result} blocks as one tool message each, ahead of the rest of that user turn.
 */
final class MessagesContent {
    /** The image types Anthropic accepts in a base64 source. */
    private static final Set<String> MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private MessagesContent() {
    }

    static List<Message> read(JsonNode system, JsonNode messages, Set<String> notApplied) throws Invalid {
        if (messages == null || messages.isNull()) {
            throw new Invalid("messages", "messages: Field required");
        }
        if (!messages.isArray() || messages.isEmpty() || messages.size() > WireMessages.MAX_MESSAGES) {
            throw new Invalid("messages", "messages must be an array of 1 to " + WireMessages.MAX_MESSAGES + " messages");
        }
        List<Message> out = new ArrayList<>(messages.size() + 1);
        List<ContentPart> instructions = system(system, notApplied);
        if (!instructions.isEmpty()) {
            out.add(new Message(Role.SYSTEM, instructions, List.of(), null, null));
        }
        for (int i = 0; i < messages.size(); i++) {
            turn(messages.get(i), "messages." + i, notApplied, out);
        }
        return out;
    }

    /** A string or an array of text blocks. */
    private static List<ContentPart> system(JsonNode system, Set<String> notApplied) throws Invalid {
        if (system == null || system.isNull() || (system.isTextual() && system.asText().isEmpty())) {
            return List.of();
        }
        if (system.isTextual()) {
            return List.of(new ContentPart.Text(system.asText()));
        }
        if (!system.isArray()) {
            throw new Invalid("system", "system must be a string or an array of text blocks");
        }
        List<ContentPart> parts = new ArrayList<>(system.size());
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(type(block))) {
                throw new Invalid("system." + i + ".type", "system." + i + ": system blocks must be of type text");
            }
            parts.add(text(block, "system." + i, notApplied));
        }
        return parts;
    }

    private static void turn(JsonNode m, String at, Set<String> notApplied, List<Message> out) throws Invalid {
        if (!m.isObject()) {
            throw new Invalid(at, at + " must be an object");
        }
        String role = m.path("role").asText("");
        if (!role.equals("user") && !role.equals("assistant")) {
            throw new Invalid(at + ".role", at + ".role must be user or assistant");
        }
        JsonNode content = m.get("content");
        String param = at + ".content";
        if (content != null && content.isTextual()) {
            out.add(new Message(role.equals("user") ? Role.USER : Role.ASSISTANT, content.asText()));
            return;
        }
        if (content == null || !content.isArray() || content.isEmpty() || content.size() > WireMessages.MAX_PARTS) {
            throw new Invalid(param, param + " must be a string or an array of 1 to " + WireMessages.MAX_PARTS
                    + " content blocks");
        }
        if (role.equals("user")) {
            user(content, param, notApplied, out);
        } else {
            assistant(content, param, notApplied, out);
        }
    }

    /** Tool results first, one tool message each, as every other format wants them right after the calls. */
    private static void user(JsonNode blocks, String param, Set<String> notApplied, List<Message> out) throws Invalid {
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String at = param + "." + i;
            switch (type(block)) {
                case "text" -> parts.add(text(block, at, notApplied));
                case "image" -> parts.add(image(block, at, notApplied));
                case "tool_result" -> out.add(toolResult(block, at, notApplied));
                default -> throw unsupported(block, at, "text, image or tool_result");
            }
        }
        if (!parts.isEmpty()) {
            out.add(new Message(Role.USER, parts, List.of(), null, null));
        }
    }

    private static void assistant(JsonNode blocks, String param, Set<String> notApplied, List<Message> out)
            throws Invalid {
        List<ContentPart> parts = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String at = param + "." + i;
            switch (type(block)) {
                case "text" -> parts.add(text(block, at, notApplied));
                case "tool_use" -> calls.add(toolUse(block, at, notApplied));
                case "thinking", "redacted_thinking" -> throw new Invalid(at + ".type", at + ": " + type(block)
                        + " blocks are not supported: levee's answers carry none, so leave them out");
                default -> throw unsupported(block, at, "text or tool_use");
            }
        }
        out.add(new Message(Role.ASSISTANT, parts, calls, null, null));
    }

    private static Invalid unsupported(JsonNode block, String at, String allowed) {
        return new Invalid(at + ".type", at + ": content blocks of type '" + Text.abbreviate(type(block))
                + "' are not supported here: use " + allowed);
    }

    private static String type(JsonNode block) {
        return block.isObject() ? block.path("type").asText("") : "";
    }

    private static ContentPart.Text text(JsonNode block, String at, Set<String> notApplied) throws Invalid {
        noteCacheControl(block, notApplied);
        if (!block.path("text").isTextual()) {
            throw new Invalid(at + ".text", at + ".text must be a string");
        }
        return new ContentPart.Text(block.get("text").asText());
    }

    /** A base64 source as a {@code data:} URI, a URL source as the URL. */
    private static ContentPart.Image image(JsonNode block, String at, Set<String> notApplied) throws Invalid {
        noteCacheControl(block, notApplied);
        JsonNode source = block.path("source");
        String kind = source.isObject() ? source.path("type").asText("") : "";
        if (kind.equals("base64")) {
            String mediaType = Text.optional(source, "media_type", at + ".source.media_type");
            String data = Text.optional(source, "data", at + ".source.data");
            if (mediaType == null || !MEDIA_TYPES.contains(mediaType)) {
                throw new Invalid(at + ".source.media_type",
                        at + ".source.media_type must be image/jpeg, image/png, image/gif or image/webp");
            }
            if (data == null || data.isEmpty()) {
                throw new Invalid(at + ".source.data", at + ".source.data must be a base64 string");
            }
            return new ContentPart.Image("data:" + mediaType + ";base64," + data, null);
        }
        if (kind.equals("url")) {
            String url = Text.optional(source, "url", at + ".source.url");
            if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
                throw new Invalid(at + ".source.url", at + ".source.url must be an http(s) URL");
            }
            return new ContentPart.Image(url, null);
        }
        throw new Invalid(at + ".source", at + ".source must be {\"type\": \"base64\", ...} or {\"type\": \"url\", ...}");
    }

    private static ToolCall toolUse(JsonNode block, String at, Set<String> notApplied) throws Invalid {
        noteCacheControl(block, notApplied);
        String id = Text.optional(block, "id", at + ".id");
        String name = Text.optional(block, "name", at + ".name");
        if (id == null || id.isEmpty() || name == null || name.isEmpty()) {
            throw new Invalid(at, at + ": a tool_use block needs an id and a name");
        }
        JsonNode input = block.get("input");
        if (input == null || !input.isObject()) {
            throw new Invalid(at + ".input", at + ".input must be an object");
        }
        return new ToolCall(id, name, input.toString());
    }

    /** The result's text; {@code is_error} is said in the text, as no other format has a flag for it. */
    private static Message toolResult(JsonNode block, String at, Set<String> notApplied) throws Invalid {
        noteCacheControl(block, notApplied);
        String id = Text.optional(block, "tool_use_id", at + ".tool_use_id");
        if (id == null || id.isEmpty()) {
            throw new Invalid(at + ".tool_use_id", at + ".tool_use_id is required");
        }
        JsonNode isError = block.get("is_error");
        if (isError != null && !isError.isNull() && !isError.isBoolean()) {
            throw new Invalid(at + ".is_error", at + ".is_error must be a boolean");
        }
        StringBuilder text = new StringBuilder(isError != null && isError.asBoolean() ? "Error: " : "");
        JsonNode content = block.get("content");
        if (content != null && content.isTextual()) {
            text.append(content.asText());
        } else if (content != null && content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                if (!"text".equals(type(part))) {
                    throw new Invalid(at + ".content." + i + ".type", at + ".content." + i
                            + ": only text blocks are supported in a tool_result");
                }
                text.append(i > 0 ? "\n" : "").append(text(part, at + ".content." + i, notApplied).text());
            }
        } else if (content != null && !content.isNull()) {
            throw new Invalid(at + ".content", at + ".content must be a string or an array of text blocks");
        }
        return Message.tool(id, text.toString());
    }

    /** Prompt caching is Anthropic's own; levee does not carry it to any target. */
    static void noteCacheControl(JsonNode block, Set<String> notApplied) {
        if (block.hasNonNull("cache_control")) {
            notApplied.add("cache_control");
        }
    }
}
