package dev.levee.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One request in the usage ledger: who (key id, team, user — never a key), what (route, provider,
 * model, tier), how it ended, what it used and cost, and how long it took.
 *
 * @param keyId the virtual key's id, {@code master}, or {@code null} when authentication is off or failed
 * @param tier the fallback level that answered, or {@code null} when nothing answered
 * @param status {@code ok}, or the failure kind in lowercase ({@code unauthenticated}, {@code unavailable}…)
 * @param errorCode for a failure, what the caller was told ({@code invalid_api_key}…); {@code null} when ok
 * @param costNanos exact cost in nano-dollars (USD × 10^-9)
 * @param ttftMs time to first token, or {@code null}
 */
public record UsageRow(String requestId, Instant at, String keyId, String team, String user, String route,
                       String provider, String model, Integer tier, String status, String errorCode,
                       int promptTokens, int completionTokens, int cachedTokens, long costNanos, double latencyMs,
                       Double ttftMs, boolean stream, Map<String, String> metadata) {
    public UsageRow {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public BigDecimal costUsd() {
        return BigDecimal.valueOf(costNanos, 9);
    }
}
