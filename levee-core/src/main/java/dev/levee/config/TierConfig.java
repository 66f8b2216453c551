package dev.levee.config;

import java.util.Objects;

/**
 * One tier of a route: a target and the parameter caps applied when it answers.
 *
 * @param provider the provider name
 * @param model the model at that provider
 * @param maxTokens caps the caller's {@code max_tokens} (the smaller wins), or {@code null}
 * @param temperature replaces the caller's temperature, or {@code null}
 * @param topP replaces the caller's top_p, or {@code null}
 * @param capabilities what the target can honour: tools, images, JSON, log probabilities, prefill
 * @param continuation how this tier continues another tier's stream that was cut after content
 * @param expensive skipped while the gateway is degraded (see {@link ResilienceConfig.Degradation})
 */
public record TierConfig(String provider, String model, Integer maxTokens, Double temperature, Double topP,
                         Capabilities capabilities, Continuation continuation, boolean expensive, Integer dimensions) {
    /** How a tier continues a cut stream from the partial answer. */
    public enum Continuation {
        /** The partial answer as a trailing assistant message, which the model extends. */
        PREFILL,
        /**
         * The partial answer as an assistant message, then an instruction to go on exactly where it
         * stopped without repeating: for models that take no prefill. Overlap at the splice is removed.
         */
        INSTRUCTION,
        /** This tier never continues a stream. */
        NONE
    }

    public TierConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(continuation, "continuation");
        if (dimensions != null && dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1");
        }
        if (continuation == Continuation.PREFILL && !capabilities.has(Capabilities.Capability.PREFILL)) {
            throw new IllegalArgumentException("continuation: prefill needs a target that takes a prefill"
                    + " (capabilities: {prefill: true})");
        }
    }

    /** Whether this tier may continue a cut stream from the partial answer. */
    public boolean supportsPrefill() {
        return capabilities.has(Capabilities.Capability.PREFILL);
    }

    /**
     * The length of the vectors this tier embeds into: its {@code dimensions} (asked of the target),
     * else the model's native one when levee knows it, else {@code null}.
     */
    public Integer embeddingDimensions() {
        return dimensions != null ? dimensions : Capabilities.embeddingDimensions(model);
    }

    /** The same tier continuing cut streams another way. */
    public TierConfig withContinuation(Continuation other) {
        return new TierConfig(provider, model, maxTokens, temperature, topP, capabilities, other, expensive, dimensions);
    }

    /** {@code provider/model}: the breaker's key. */
    public String target() {
        return provider + "/" + model;
    }
}
