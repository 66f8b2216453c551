package dev.levee;

import java.util.Locale;

/** Who said a {@link Message}. */
public enum Role {
    SYSTEM,
    /** OpenAI's name for system instructions to reasoning models; other providers read it as system. */
    DEVELOPER,
    USER,
    ASSISTANT,
    /** The result of a tool call. */
    TOOL;

    /** The wire name, as OpenAI, Anthropic and Ollama spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role gives instructions rather than takes part: system or developer. */
    public boolean instructs() {
        return this == SYSTEM || this == DEVELOPER;
    }

    /** Parses a wire name; {@code null} when the name is not a known role. */
    public static Role fromWireName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "system" -> SYSTEM;
            case "developer" -> DEVELOPER;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            case "tool" -> TOOL;
            default -> null;
        };
    }
}
