package dev.levee;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Traffic over the last minutes in fixed buckets, for live charts: one series for all requests, one
 * per route and one per target ({@code provider/model}). Every series has a point for every bucket,
 * oldest first, zeros where it was quiet.
 *
 * @param bucket the width of one bucket
 * @param now the instant the series were read at (inside the last bucket)
 */
public record TrafficSeries(Duration bucket, Instant now, List<Series> series) {
    public TrafficSeries {
        series = List.copyOf(series);
    }

    /** What a series counts: {@code ALL} and {@code ROUTE} count requests, {@code TARGET} upstream calls. */
    public enum Scope {
        ALL, ROUTE, TARGET
    }

    /** One series: the figures of one scope and name ({@code all}, a route, a target) per bucket. */
    public record Series(Scope scope, String name, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /**
     * One bucket.
     *
     * @param start where the bucket begins
     * @param requests requests (for a target: calls) that ended in the bucket
     * @param errors those that failed (a cancelled request is neither)
     * @param fallbacks requests answered by a fallback tier or the rule-based reply (0 for a target)
     * @param costUsd exact cost of the answers
     * @param p50Ms latency percentiles of those requests or calls, {@code null} when there were none
     */
    public record Point(Instant start, long requests, long errors, long fallbacks, long promptTokens,
                        long completionTokens, BigDecimal costUsd, Double p50Ms, Double p95Ms, Double p99Ms) {
    }
}
