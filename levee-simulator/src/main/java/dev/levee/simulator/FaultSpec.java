package dev.levee.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fault to inject, written as comma-separated items ({@code status=503,rate=0.3},
 * {@code cut_after=5}, {@code retry_after=2,times=3}); see {@link #parse(String)} for the grammar.
 * A {@code null} component means the item is absent.
 *
 * <p>{@code rate} and {@code times} decide whether the spec applies to a request; when it applies,
 * all its other items apply together. Stream positions count content pieces (words) already sent;
 * a position past the end of the answer strikes just before the closing events. On a non-streaming
 * request the stream faults act when their piece would have been produced: {@code cut_after} drops
 * the connection, {@code stall_after} never answers, {@code error_after} answers 500,
 * {@code malformed_at} sends half of the JSON body, and {@code no_done} does nothing.
 *
 * @param status            error status 400..599 sent instead of an answer
 * @param retryAfterSeconds adds a {@code Retry-After} header; alone it implies status 429
 * @param reset             drop the connection before any response header
 * @param hang              never answer (until the client gives up)
 * @param rejection         a specific provider error (context length, content filter, not found, unauthorized,
 *                          a refused assistant prefill — which strikes only requests ending with an assistant turn)
 * @param timeToFirstToken  overrides the latency's time to first token
 * @param perToken          overrides the latency's per-token delay
 * @param cutAfter          after N pieces, drop the connection abruptly
 * @param stallAfter        after N pieces, stop sending but keep the connection open
 * @param malformedAt       before piece N, send one syntactically broken chunk, then go on normally
 * @param errorAfter        after N pieces, send the API's in-band error event and end the stream
 * @param noDone            end the stream without its terminator ({@code [DONE]}, {@code message_stop}, {@code done:true})
 * @param rate              probability 0..1 that a request is hit
 * @param times             only the first N hits are faulted; afterwards the model behaves normally
 * @param answerModel       the model name the answer reports instead of the one asked for (a provider that
 *                          routed the request to another model)
 */
public record FaultSpec(Integer status, Integer retryAfterSeconds, boolean reset, boolean hang, Rejection rejection,
                        Duration timeToFirstToken, Duration perToken, Integer cutAfter, Integer stallAfter,
                        Integer malformedAt, Integer errorAfter, boolean noDone, double rate, Integer times,
                        String answerModel) {

    /** A spec with no effect; as a header it switches a model's fault off for one request. */
    public static final FaultSpec NONE = parse("none");

    /** Provider errors with a dedicated code in each API's error format. */
    public enum Rejection {
        CONTEXT_LENGTH, CONTENT_FILTER, NOT_FOUND, UNAUTHORIZED, PREFILL_REJECTED;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public FaultSpec {
        checkRange("status", status, 400, 599);
        checkRange("retry_after", retryAfterSeconds, 0, Integer.MAX_VALUE);
        checkRange("cut_after", cutAfter, 0, Integer.MAX_VALUE);
        checkRange("stall_after", stallAfter, 0, Integer.MAX_VALUE);
        checkRange("malformed_at", malformedAt, 0, Integer.MAX_VALUE);
        checkRange("error_after", errorAfter, 0, Integer.MAX_VALUE);
        checkRange("times", times, 1, Integer.MAX_VALUE);
        checkNotNegative("ttft", timeToFirstToken);
        checkNotNegative("token_ms", perToken);
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("fault item 'rate=" + rate + "': must be between 0 and 1");
        }
        // Fields are not assigned yet inside a compact constructor, so the check works on the parameters.
        boolean streamFaults = cutAfter != null || stallAfter != null || malformedAt != null || errorAfter != null
                || noDone;
        checkCombination(status != null ? "status" : retryAfterSeconds != null ? "retry_after" : null,
                rejection == null ? null : rejection.key(), reset ? "reset" : null, hang ? "hang" : null, streamFaults);
    }

    /**
     * Parses a spec. Items: {@code status=N}, {@code retry_after=S}, {@code reset}, {@code hang},
     * {@code context_length}, {@code content_filter}, {@code not_found}, {@code unauthorized},
     * {@code ttft=MS}, {@code token_ms=MS}, {@code cut_after=N}, {@code stall_after=N},
     * {@code malformed_at=N}, {@code error_after=N}, {@code no_done}, {@code rate=P}, {@code times=N},
     * and {@code none} (no effect).
     *
     * @throws IllegalArgumentException naming the offending item
     */
    public static FaultSpec parse(String spec) {
        return FaultSpecParser.parse(spec);
    }

    /** The error status to answer with, or {@code null} when this spec sends none. */
    Integer effectiveStatus() {
        if (status != null) {
            return status;
        }
        return retryAfterSeconds != null ? Integer.valueOf(429) : null;
    }

    /** Whether this spec changes the response before any answer is produced. */
    boolean failsUpFront() {
        return effectiveStatus() != null || rejection != null || reset || hang;
    }

    boolean disturbsStream() {
        return cutAfter != null || stallAfter != null || malformedAt != null || errorAfter != null || noDone;
    }

    /** The canonical text; {@code parse(spec.toString())} equals {@code spec}. */
    @Override
    public String toString() {
        List<String> items = new ArrayList<>();
        add(items, "status", status);
        add(items, "retry_after", retryAfterSeconds);
        flag(items, "reset", reset);
        flag(items, "hang", hang);
        if (rejection != null) {
            items.add(rejection.key());
        }
        add(items, "ttft", timeToFirstToken == null ? null : timeToFirstToken.toMillis());
        add(items, "token_ms", perToken == null ? null : perToken.toMillis());
        add(items, "cut_after", cutAfter);
        add(items, "stall_after", stallAfter);
        add(items, "malformed_at", malformedAt);
        add(items, "error_after", errorAfter);
        flag(items, "no_done", noDone);
        if (rate != 1.0) {
            items.add("rate=" + rate);
        }
        add(items, "times", times);
        add(items, "answer_model", answerModel);
        return items.isEmpty() ? "none" : String.join(",", items);
    }

    private static void add(List<String> items, String key, Object value) {
        if (value != null) {
            items.add(key + "=" + value);
        }
    }

    private static void flag(List<String> items, String key, boolean on) {
        if (on) {
            items.add(key);
        }
    }

    private static void checkRange(String key, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException("fault item '" + key + "=" + value + "': must be between " + min
                    + " and " + max);
        }
    }

    private static void checkNotNegative(String key, Duration value) {
        if (value != null && value.isNegative()) {
            throw new IllegalArgumentException("fault item '" + key + "=" + value.toMillis() + "': must not be negative");
        }
    }

    /** Up-front failures answer before any token, so they exclude each other and every stream fault. */
    private static void checkCombination(String statusItem, String rejectionItem, String resetItem, String hangItem,
                                         boolean streamFaults) {
        List<String> upFront = new ArrayList<>();
        for (String item : new String[] {statusItem, rejectionItem, resetItem, hangItem}) {
            if (item != null) {
                upFront.add(item);
            }
        }
        if (upFront.size() > 1) {
            throw new IllegalArgumentException("fault items '" + upFront.get(0) + "' and '" + upFront.get(1)
                    + "' cannot be combined");
        }
        if (!upFront.isEmpty() && streamFaults) {
            throw new IllegalArgumentException("fault item '" + upFront.get(0)
                    + "' fails the request up front and cannot be combined with stream faults");
        }
    }
}
