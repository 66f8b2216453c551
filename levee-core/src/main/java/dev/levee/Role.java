package dev.levee;

import java.util.Locale;

/** Who said a {@link Message}. */
public enum Role {
    SYSTEM, USER, ASSISTANT;

    /** The wire name, as OpenAI, Anthropic and Ollama spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; {@code null} when the name is not a known role. */
    public static Role fromWireName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "system", "developer" -> SYSTEM;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            default -> null;
        };
    }
}
