package dev.levee.config;

import java.util.List;
import java.util.Map;

/**
 * The last resort's replies: keyword rules checked in order against the lower-cased prompt, then
 * generic replies.
 */
public record RuleBasedConfig(Map<String, String> keywords, List<String> generic) {
    public static final RuleBasedConfig DEFAULTS = new RuleBasedConfig(
            orderedMap(
                    "hello", "Hello! I'm currently operating in fallback mode due to service limitations.",
                    "help", "I'd like to help, but I'm currently in fallback mode with limited capabilities.",
                    "explain", "I'm sorry, but I can't provide explanations right now as I'm in fallback mode.",
                    "how to", "I apologize, but I can't provide how-to instructions at the moment."),
            List.of(
                    "I'm sorry, I'm having trouble processing your request right now.",
                    "Our AI service is currently experiencing issues. Please try again later.",
                    "I apologize, but I'm unable to generate a response at this moment."));

    public RuleBasedConfig {
        // Insertion order is the matching order, so keep it.
        keywords = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keywords));
        generic = List.copyOf(generic);
        if (generic.isEmpty()) {
            throw new IllegalArgumentException("rule_based.generic needs at least one reply");
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        var map = new java.util.LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
