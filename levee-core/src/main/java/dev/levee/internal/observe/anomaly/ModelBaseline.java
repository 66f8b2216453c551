package dev.levee.internal.observe.anomaly;

import dev.levee.config.AnomalySettings;
import java.util.Locale;

/**
 * One model's baselines. Metrics are kept in log space ({@code ln(1 + v)}), where latency and token
 * counts are roughly symmetric and a deviation means a ratio. Judged by a robust z-score against
 * the window's median and MAD; learned winsorised at the point where suspicion starts, so an
 * outlier cannot drag the baseline while a lasting shift is still learned, step by step.
 * Every access holds this object's monitor for a few microseconds.
 */
final class ModelBaseline {
    /** MAD times this estimates the standard deviation of a normal distribution. */
    private static final double MAD_TO_SIGMA = 1.4826;
    /**
     * Slowness that costs the caller less time than this is not flagged, however large the ratio:
     * an answer that usually takes 0.4 ms and once takes 5 ms (a cache, a local model, a garbage
     * collection) is jitter, not an incident worth a warning. Model answers take hundreds of
     * milliseconds and more, where this floor never binds.
     */
    static final double MIN_SLOWDOWN_MS = 100;

    private final String model;
    private final AnomalySettings settings;
    private final double logFloor;
    private final double startZ;
    private final MetricWindow[] windows = new MetricWindow[Metric.values().length];

    ModelBaseline(String model, AnomalySettings settings) {
        this.model = model;
        this.settings = settings;
        this.logFloor = Math.log1p(settings.minRelativeSpread());
        this.startZ = settings.sensitivity() / 2;
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new MetricWindow(settings.windowSize());
        }
    }

    /** Judges each present value (NaN = absent) against the baseline, then learns it. */
    synchronized void judgeAndLearn(double[] values, Findings findings) {
        for (Metric m : Metric.values()) {
            double v = values[m.ordinal()];
            if (Double.isNaN(v) || v < 0 || (m == Metric.TOKENS_PER_SECOND && muchShorterThanUsual(values))) {
                continue;
            }
            MetricWindow w = windows[m.ordinal()];
            double x = Math.log1p(v);
            if (w.size() >= settings.warmUpSamples()) {
                double median = w.median();
                double scale = Math.max(MAD_TO_SIGMA * w.mad(), logFloor);
                double z = (x - median) / scale;
                double deviation = m.flagsHigh && z > 0 ? z : m.flagsLow && z < 0 ? -z : 0;
                double usual = deviation > 0 ? Math.expm1(median) : 0;
                if (deviation > 0 && slowdownMs(m, v, usual, values) < MIN_SLOWDOWN_MS) {
                    deviation = 0;
                }
                double s = contribution(deviation);
                if (s > 0) {
                    findings.statistical(s, s >= Findings.REPORT_FLOOR ? reason(m, v, usual) : null);
                }
                double limit = startZ * scale;
                x = Math.max(median - limit, Math.min(median + limit, x));
            }
            w.add(x);
        }
    }

    /**
     * How much longer than usual the caller waited, for the time-like metrics; infinite for output
     * tokens, whose deviations are about the answer, not the wait.
     */
    private static double slowdownMs(Metric m, double value, double usual, double[] values) {
        return switch (m) {
            case LATENCY, TTFT -> value - usual;
            case TOKENS_PER_SECOND -> {
                double tokens = values[Metric.OUTPUT_TOKENS.ordinal()];
                yield value > 0 && usual > 0 ? 1000 * tokens / value - 1000 * tokens / usual : Double.POSITIVE_INFINITY;
            }
            case OUTPUT_TOKENS -> Double.POSITIVE_INFINITY;
        };
    }

    /**
     * Tokens per second of wall time only means something for answers of ordinary length: in a short
     * one, the time to first token dominates. A short answer is the output-token baseline's business.
     */
    private boolean muchShorterThanUsual(double[] values) {
        double tokens = values[Metric.OUTPUT_TOKENS.ordinal()];
        MetricWindow w = windows[Metric.OUTPUT_TOKENS.ordinal()];
        return !Double.isNaN(tokens) && w.size() > 0 && tokens < Math.expm1(w.median()) / 2;
    }

    synchronized BaselineSnapshot snapshot() {
        Metric[] all = Metric.values();
        BaselineSnapshot.Stat[] stats = new BaselineSnapshot.Stat[all.length];
        for (Metric m : all) {
            MetricWindow w = windows[m.ordinal()];
            stats[m.ordinal()] = new BaselineSnapshot.Stat(w.size(),
                    w.size() == 0 ? Double.NaN : Math.expm1(w.median()),
                    w.size() == 0 ? Double.NaN : Math.expm1(w.mad()));
        }
        return new BaselineSnapshot(model, stats[Metric.LATENCY.ordinal()], stats[Metric.TTFT.ordinal()],
                stats[Metric.OUTPUT_TOKENS.ordinal()], stats[Metric.TOKENS_PER_SECOND.ordinal()]);
    }

    /** 0 up to half the sensitivity, the threshold at the sensitivity, 1 a little beyond. */
    private double contribution(double deviation) {
        if (deviation <= startZ) {
            return 0;
        }
        return Math.min(1, settings.threshold() * (deviation - startZ) / (settings.sensitivity() - startZ));
    }

    private static String reason(Metric m, double value, double p50) {
        double ratio = p50 > 0 ? value / p50 : Double.POSITIVE_INFINITY;
        String times = ratio >= 10 ? String.format(Locale.ROOT, "%.0fx", ratio)
                : ratio >= 1 ? String.format(Locale.ROOT, "%.1fx", ratio)
                : String.format(Locale.ROOT, "%.2fx", ratio);
        return String.format(Locale.ROOT, "%s %s the p50 baseline (%s%s vs %s%s)", m.label, times, number(value),
                m.unit, number(p50), m.unit);
    }

    private static String number(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
