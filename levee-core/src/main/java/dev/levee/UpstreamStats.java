package dev.levee;

import java.math.BigDecimal;

/**
 * One provider's or model's recent upstream calls: volume, errors, latency percentiles,
 * tokens and exact cost.
 */
public record UpstreamStats(int calls, int errors, double errorRate, double p50LatencyMs, double p95LatencyMs,
                            double p99LatencyMs, double avgLatencyMs, double minLatencyMs, double maxLatencyMs,
                            long promptTokens, long completionTokens, long totalTokens, BigDecimal costUsd) {
}
