package dev.levee.internal.observe.anomaly;

import dev.levee.AnomalyScore;
import java.util.ArrayList;
import java.util.List;

/**
 * What the checks found for one response. Content findings are independent evidence and combine as
 * {@code 1 - Π(1 - s)}; the statistical metrics are correlated views of one thing (a slow answer is
 * slow in latency and in tokens/second), so they count once, by their maximum.
 */
final class Findings {
    /** Findings below this add to the score but are not worth a reason. */
    static final double REPORT_FLOOR = 0.25;

    private double contentMiss = 1;
    private double statistical;
    private List<Finding> reported;

    private record Finding(double score, String reason) {
    }

    void content(double score, String reason) {
        contentMiss *= 1 - score;
        report(score, reason);
    }

    void statistical(double score, String reason) {
        statistical = Math.max(statistical, score);
        report(score, reason);
    }

    boolean hasStatisticalReason() {
        return statistical >= REPORT_FLOOR;
    }

    double score() {
        double s = 1 - contentMiss * (1 - statistical);
        return Math.min(1, Math.max(0, s));
    }

    AnomalyScore toScore() {
        double s = score();
        if (reported == null) {
            return s == 0 ? AnomalyScore.NONE : new AnomalyScore(s, List.of());
        }
        reported.sort((a, b) -> Double.compare(b.score, a.score));
        List<String> reasons = new ArrayList<>(reported.size());
        for (Finding f : reported) {
            reasons.add(f.reason);
        }
        return new AnomalyScore(s, reasons);
    }

    private void report(double score, String reason) {
        if (score >= REPORT_FLOOR) {
            if (reported == null) {
                reported = new ArrayList<>(4);
            }
            reported.add(new Finding(score, reason));
        }
    }
}
