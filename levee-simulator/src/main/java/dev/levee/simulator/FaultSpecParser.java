package dev.levee.simulator;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Reads the {@code key[=value],...} fault grammar into a {@link FaultSpec}. */
final class FaultSpecParser {

    private Integer status;
    private Integer retryAfter;
    private boolean reset;
    private boolean hang;
    private FaultSpec.Rejection rejection;
    private String answerModel;
    private Duration ttft;
    private Duration perToken;
    private Integer cutAfter;
    private Integer stallAfter;
    private Integer malformedAt;
    private Integer errorAfter;
    private boolean noDone;
    private double rate = 1.0;
    private Integer times;

    private FaultSpecParser() {
    }

    static FaultSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty fault spec (use 'none' for no fault)");
        }
        FaultSpecParser parser = new FaultSpecParser();
        Set<String> seen = new HashSet<>();
        for (String raw : spec.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String key = (eq < 0 ? item : item.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : item.substring(eq + 1).trim();
            if (!seen.add(key)) {
                throw new IllegalArgumentException("fault item '" + item + "': '" + key + "' given twice");
            }
            parser.apply(item, key, value);
        }
        return parser.build();
    }

    private void apply(String item, String key, String value) {
        switch (key) {
            case "status" -> status = number(item, value);
            case "retry_after" -> retryAfter = number(item, value);
            case "ttft" -> ttft = Duration.ofMillis(number(item, value));
            case "token_ms" -> perToken = Duration.ofMillis(number(item, value));
            case "cut_after" -> cutAfter = number(item, value);
            case "stall_after" -> stallAfter = number(item, value);
            case "malformed_at" -> malformedAt = number(item, value);
            case "error_after" -> errorAfter = number(item, value);
            case "times" -> times = number(item, value);
            case "rate" -> rate = probability(item, value);
            case "reset" -> reset = flag(item, value);
            case "hang" -> hang = flag(item, value);
            case "no_done" -> noDone = flag(item, value);
            case "none" -> flag(item, value);
            case "context_length" -> reject(item, value, FaultSpec.Rejection.CONTEXT_LENGTH);
            case "content_filter" -> reject(item, value, FaultSpec.Rejection.CONTENT_FILTER);
            case "not_found" -> reject(item, value, FaultSpec.Rejection.NOT_FOUND);
            case "unauthorized" -> reject(item, value, FaultSpec.Rejection.UNAUTHORIZED);
            case "prefill_rejected" -> reject(item, value, FaultSpec.Rejection.PREFILL_REJECTED);
            case "answer_model" -> {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException("fault item '" + item + "': answer_model needs a model name");
                }
                answerModel = value.trim();
            }
            default -> throw new IllegalArgumentException("fault item '" + item + "': unknown key '" + key + "'");
        }
    }

    private FaultSpec build() {
        return new FaultSpec(status, retryAfter, reset, hang, rejection, ttft, perToken, cutAfter, stallAfter,
                malformedAt, errorAfter, noDone, rate, times, answerModel);
    }

    private void reject(String item, String value, FaultSpec.Rejection kind) {
        flag(item, value);
        if (rejection != null) {
            throw new IllegalArgumentException("fault items '" + rejection.key() + "' and '" + item
                    + "' cannot be combined");
        }
        rejection = kind;
    }

    private static boolean flag(String item, String value) {
        if (value != null) {
            throw new IllegalArgumentException("fault item '" + item + "': takes no value");
        }
        return true;
    }

    private static int number(String item, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("fault item '" + item + "': needs a value");
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException("fault item '" + item + "': must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault item '" + item + "': not a whole number", e);
        }
    }

    private static double probability(String item, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("fault item '" + item + "': needs a value");
        }
        try {
            double p = Double.parseDouble(value);
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("fault item '" + item + "': must be between 0 and 1");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault item '" + item + "': not a number", e);
        }
    }
}
