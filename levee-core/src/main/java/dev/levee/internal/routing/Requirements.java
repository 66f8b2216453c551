package dev.levee.internal.routing;

import dev.levee.ChatRequest;
import dev.levee.Message;
import dev.levee.Role;
import dev.levee.ToolChoice;
import dev.levee.config.Capabilities;
import dev.levee.config.Capabilities.Capability;
import java.util.EnumSet;
import java.util.Set;

/** What a request needs of a target, beyond plain chat: each need names the request field behind it. */
final class Requirements {
    private Requirements() {
    }

    static Set<Capability> of(ChatRequest request) {
        EnumSet<Capability> needs = EnumSet.noneOf(Capability.class);
        if (request.isEmbedding()) {
            needs.add(Capability.EMBEDDINGS);
            return needs;
        }
        needs.add(Capability.CHAT);
        if (!request.tools().isEmpty()) {
            needs.add(Capability.TOOLS);
        }
        if (request.toolChoice() != null && (request.toolChoice().mode() == ToolChoice.Mode.REQUIRED
                || request.toolChoice().mode() == ToolChoice.Mode.FUNCTION)) {
            needs.add(Capability.TOOL_CHOICE);
        }
        for (Message m : request.messages()) {
            if (!m.toolCalls().isEmpty() || m.role() == Role.TOOL) {
                needs.add(Capability.TOOLS);
            }
            if (m.hasImages()) {
                needs.add(Capability.VISION);
            }
        }
        if (request.responseFormat() != null) {
            switch (request.responseFormat().type()) {
                case JSON_OBJECT -> needs.add(Capability.JSON_OBJECT);
                case JSON_SCHEMA -> needs.add(Capability.JSON_SCHEMA);
                case TEXT -> { }
            }
        }
        if (Boolean.TRUE.equals(request.logprobs()) || request.topLogprobs() != null) {
            needs.add(Capability.LOGPROBS);
        }
        return needs;
    }

    /** The first need the target lacks, or {@code null} when it can honour them all. */
    static Capability missing(Set<Capability> needs, Capabilities target) {
        for (Capability c : needs) {
            if (!target.has(c)) {
                return c;
            }
        }
        return null;
    }

    /** The request field a need comes from, for the caller's error message. */
    static String field(Capability c) {
        return switch (c) {
            case CHAT -> "messages";
            case TOOLS -> "tools";
            case TOOL_CHOICE -> "tool_choice";
            case VISION -> "messages[].content (image_url)";
            case JSON_OBJECT, JSON_SCHEMA -> "response_format";
            case LOGPROBS -> "logprobs";
            case PREFILL -> "messages (assistant prefill)";
            case EMBEDDINGS -> "input";
        };
    }
}
