package dev.levee.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request, as one JSON line (seeds 000 and 001): who answered, how, how fast, at what cost, and
 * how unusual it looked. Keys are snake_case. Prompts appear only as hash and length.
 *
 * @param status {@code ok}, {@code error} or {@code cancelled}
 * @param costUsd exact, from nano-dollar arithmetic
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TelemetryRecord(
        @JsonSerialize(using = ToStringSerializer.class) Instant timestamp, // formatted by the writer thread
        String requestId,
        String route,
        String provider,
        String model,
        Integer fallbackLevel,
        Boolean fallbackUsed,
        boolean stream,
        List<AttemptRecord> attempts,
        double latencyMs,
        Double ttftMs,
        Tokens tokens,
        BigDecimal costUsd,
        String status,
        ErrorRecord error,
        Map<String, String> breakerStates,
        Double anomalyScore,
        List<String> anomalyReasons,
        String promptHash,
        Integer promptLength,
        Integer responseLength,
        String finishReason,
        Map<String, String> metadata) {

    public record AttemptRecord(int tier, String target, String outcome, int status, String error, double latencyMs,
                                long retryDelayMs) {
    }

    /** @param estimated true when the provider reported none and levee counted them */
    public record Tokens(int prompt, int completion, int total, boolean estimated) {
    }

    public record ErrorRecord(String kind, String message) {
    }
}
