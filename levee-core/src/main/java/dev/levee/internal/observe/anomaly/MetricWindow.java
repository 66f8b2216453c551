package dev.levee.internal.observe.anomaly;

import java.util.Arrays;

/**
 * The most recent values of one metric (in log space) with their median and median absolute
 * deviation. Bounded, allocation-free after construction; not thread-safe (its owner locks).
 */
final class MetricWindow {
    /** Recompute the cached median/MAD once this share of the window is new: exact enough, and cheap. */
    private static final int REFRESH_DIVISOR = 4;

    private final double[] values;
    private final double[] scratch;
    private int size;
    private int next;
    private int sinceRefresh;
    private double median = Double.NaN;
    private double mad = Double.NaN;

    MetricWindow(int capacity) {
        values = new double[capacity];
        scratch = new double[capacity];
    }

    int size() {
        return size;
    }

    void add(double value) {
        values[next] = value;
        next = (next + 1) % values.length;
        if (size < values.length) {
            size++;
        }
        sinceRefresh++;
    }

    double median() {
        refreshIfStale();
        return median;
    }

    double mad() {
        refreshIfStale();
        return mad;
    }

    private void refreshIfStale() {
        if (size == 0 || sinceRefresh == 0 || (sinceRefresh * REFRESH_DIVISOR < size && !Double.isNaN(median))) {
            return;
        }
        System.arraycopy(values, 0, scratch, 0, size);
        Arrays.sort(scratch, 0, size);
        median = middle(scratch, size);
        for (int i = 0; i < size; i++) {
            scratch[i] = Math.abs(scratch[i] - median);
        }
        Arrays.sort(scratch, 0, size);
        mad = middle(scratch, size);
        sinceRefresh = 0;
    }

    private static double middle(double[] sorted, int n) {
        return (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
