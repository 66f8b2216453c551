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
 */
public record TierConfig(String provider, String model, Integer maxTokens, Double temperature, Double topP,
                         Capabilities capabilities) {
    public TierConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(capabilities, "capabilities");
    }

    /** Whether this tier may continue a cut stream from the partial answer. */
    public boolean supportsPrefill() {
        return capabilities.has(Capabilities.Capability.PREFILL);
    }

    /** {@code provider/model}: the breaker's key. */
    public String target() {
        return provider + "/" + model;
    }
}
