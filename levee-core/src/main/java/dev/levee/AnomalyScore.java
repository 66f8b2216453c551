package dev.levee;

import java.util.List;

/**
 * How unusual a response looked, in [0, 1], and why. Above the threshold (0.7 by default) it is
 * logged as {@code ANOMALY DETECTED}, counted in the statistics and may raise an alert.
 */
public record AnomalyScore(double score, List<String> reasons) {
    public static final AnomalyScore NONE = new AnomalyScore(0, List.of());

    public AnomalyScore {
        if (Double.isNaN(score) || score < 0 || score > 1) {
            throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        }
        reasons = List.copyOf(reasons);
    }
}
