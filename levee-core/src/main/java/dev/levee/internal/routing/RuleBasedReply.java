package dev.levee.internal.routing;

import dev.levee.config.RuleBasedConfig;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/** The last resort, which never fails: a keyword-matched canned reply, else a generic one. */
final class RuleBasedReply {
    record Reply(String text, String matchedKeyword) {
    }

    private final RuleBasedConfig config;
    private final RandomGenerator random;

    RuleBasedReply(RuleBasedConfig config, RandomGenerator random) {
        this.config = config;
        this.random = random;
    }

    Reply replyTo(String prompt) {
        String lower = prompt == null ? "" : prompt.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> rule : config.keywords().entrySet()) {
            if (lower.contains(rule.getKey())) {
                return new Reply(rule.getValue(), rule.getKey());
            }
        }
        return new Reply(config.generic().get(random.nextInt(config.generic().size())), null);
    }
}
