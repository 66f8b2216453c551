package dev.levee;

/**
 * Performance statistics over the recent window.
 *
 * @param fallbackRate the share of requests answered by a tier other than the primary
 * @param highAnomalyCount requests whose anomaly score exceeded the threshold
 */
public record RecentPerformance(int requestCount, double avgLatencyMs, double maxLatencyMs, double minLatencyMs,
                                double avgTokens, long totalTokens, double fallbackRate, int highAnomalyCount) {
    public static final RecentPerformance EMPTY = new RecentPerformance(0, 0, 0, 0, 0, 0, 0, 0);
}
