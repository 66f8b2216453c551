package dev.levee.config;

import java.util.List;
import java.util.Objects;

/**
 * A route: ordered tiers, then (optionally) the rule-based reply.
 *
 * @param name the alias clients send as {@code model}
 * @param tiers the model tiers, primary first
 * @param contentFilter what to do when a provider refuses the content
 * @param ruleBasedFallback whether the rule-based reply answers when every tier failed
 * @param ruleBasedForStructured whether it also answers requests with tools or a JSON response format:
 *        off by default, since canned text would break a tool loop or a parse
 */
public record RouteConfig(String name, List<TierConfig> tiers, ContentFilterPolicy contentFilter,
                          boolean ruleBasedFallback, boolean ruleBasedForStructured) {
    public RouteConfig {
        Objects.requireNonNull(name, "name");
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one tier");
        }
        Objects.requireNonNull(contentFilter, "contentFilter");
    }

    public RouteConfig(String name, List<TierConfig> tiers, ContentFilterPolicy contentFilter,
                       boolean ruleBasedFallback) {
        this(name, tiers, contentFilter, ruleBasedFallback, false);
    }

    /** What a content-policy refusal does. */
    public enum ContentFilterPolicy {
        /** Return the refusal to the caller: a fallback must not route around a safety check. */
        ERROR,
        /** Treat it as a failure of the tier and try the next one. */
        FALLBACK
    }
}
