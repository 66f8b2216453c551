package dev.levee.config;

import java.util.Locale;

/** The wire protocol a provider speaks. */
public enum ProviderType {
    /** Ollama's native {@code /api/chat}. */
    OLLAMA,
    /** OpenAI's {@code /v1/chat/completions}, and any compatible server. */
    OPENAI,
    /** Anthropic's {@code /v1/messages}. */
    ANTHROPIC,
    /** levee's built-in simulator, started in-process; speaks one of the formats above. */
    SIMULATOR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
