package dev.levee;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation.
 *
 * @param role who said it
 * @param parts its content in order: text and images; empty for an assistant turn that only calls tools
 * @param toolCalls the functions an assistant turn asked for, else empty
 * @param toolCallId for a {@link Role#TOOL} turn, the call it answers; else {@code null}
 * @param name the participant's or the function's name, or {@code null}
 */
public record Message(Role role, List<ContentPart> parts, List<ToolCall> toolCalls, String toolCallId, String name) {
    public Message {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** A turn of plain text. */
    public Message(Role role, String content) {
        this(role, List.of(new ContentPart.Text(Objects.requireNonNull(content, "content"))), List.of(), null, null);
    }

    public static Message system(String content) {
        return new Message(Role.SYSTEM, content);
    }

    public static Message user(String content) {
        return new Message(Role.USER, content);
    }

    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content);
    }

    /** An assistant turn that calls tools, with no text. */
    public static Message assistant(List<ToolCall> calls) {
        return new Message(Role.ASSISTANT, List.of(), calls, null, null);
    }

    /** The result of a tool call, for the model. */
    public static Message tool(String toolCallId, String content) {
        return new Message(Role.TOOL, List.of(new ContentPart.Text(content)), List.of(),
                Objects.requireNonNull(toolCallId, "toolCallId"), null);
    }

    /** The text of the turn: its text parts together; empty when it has none. */
    public String content() {
        if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
            return t.text();
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    /** Whether the turn carries an image. */
    public boolean hasImages() {
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Image) {
                return true;
            }
        }
        return false;
    }

    /** Whether the content is one text part (or none): what every provider format can carry as a string. */
    public boolean plainText() {
        return parts.size() <= 1 && !hasImages();
    }
}
