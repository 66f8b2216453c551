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
 * @param supportsPrefill whether this tier may continue a cut stream from the partial answer
 */
public record TierConfig(String provider, String model, Integer maxTokens, Double temperature, Double topP,
                         boolean supportsPrefill) {
    public TierConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }

    /** {@code provider/model}: the breaker's key. */
    public String target() {
        return provider + "/" + model;
    }
}
