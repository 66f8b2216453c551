package dev.levee.config;

/** What request logs may say about prompts. */
public record LoggingConfig(PromptLogging prompts) {
    public static final LoggingConfig DEFAULTS = new LoggingConfig(PromptLogging.HASH);

    public enum PromptLogging {
        /** Only a hash and the length of the prompt (default). */
        HASH,
        /** The prompt with emails, phone and card numbers, SSNs, keys and tokens masked. */
        SANITIZED,
        /** Nothing about the prompt. */
        NONE
    }
}
