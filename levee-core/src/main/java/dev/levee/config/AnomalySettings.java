package dev.levee.config;

/**
 * How {@link BaselineAnomalyDetector} judges responses.
 *
 * @param threshold a score above this is an anomaly; a single metric at {@code sensitivity} robust
 *        z-scores from its baseline scores exactly this
 * @param warmUpSamples samples a model's metric needs before it is judged statistically
 * @param windowSize recent samples per model and metric the baseline (median, MAD) is computed from
 * @param sensitivity the robust z-score (in log space) at which one metric alone reaches the threshold;
 *        contributions start at half of it. Higher is more tolerant
 * @param minRelativeSpread the smallest spread assumed for a metric, as a fraction of its median, so a
 *        very steady metric does not flag small wobbles (0.15: a steady metric is flagged from about
 *        {@code exp(sensitivity * ln 1.15)} = 2.3x its median at the default sensitivity)
 * @param maxModels models with a baseline of their own; beyond that new models get content checks only
 */
public record AnomalySettings(double threshold, int warmUpSamples, int windowSize, double sensitivity,
                              double minRelativeSpread, int maxModels) {

    public static final AnomalySettings DEFAULTS = new AnomalySettings(0.7, 20, 200, 6.0, 0.15, 1000);

    public AnomalySettings {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("anomaly threshold must be in (0, 1): " + threshold);
        }
        if (warmUpSamples < 3) {
            throw new IllegalArgumentException("anomaly warm_up must be >= 3: " + warmUpSamples);
        }
        if (windowSize < warmUpSamples || windowSize > 100_000) {
            throw new IllegalArgumentException("anomaly window must be in [warm_up, 100000]: " + windowSize);
        }
        if (!(sensitivity >= 1 && sensitivity <= 100)) {
            throw new IllegalArgumentException("anomaly sensitivity must be in [1, 100]: " + sensitivity);
        }
        if (!(minRelativeSpread > 0 && minRelativeSpread <= 10)) {
            throw new IllegalArgumentException("anomaly min_relative_spread must be in (0, 10]: " + minRelativeSpread);
        }
        if (maxModels < 1) {
            throw new IllegalArgumentException("anomaly max_models must be >= 1: " + maxModels);
        }
    }

    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static final class Builder {
        private double threshold;
        private int warmUpSamples;
        private int windowSize;
        private double sensitivity;
        private double minRelativeSpread;
        private int maxModels;

        private Builder(AnomalySettings from) {
            threshold = from.threshold;
            warmUpSamples = from.warmUpSamples;
            windowSize = from.windowSize;
            sensitivity = from.sensitivity;
            minRelativeSpread = from.minRelativeSpread;
            maxModels = from.maxModels;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder warmUpSamples(int warmUpSamples) {
            this.warmUpSamples = warmUpSamples;
            return this;
        }

        public Builder windowSize(int windowSize) {
            this.windowSize = windowSize;
            return this;
        }

        public Builder sensitivity(double sensitivity) {
            this.sensitivity = sensitivity;
            return this;
        }

        public Builder minRelativeSpread(double minRelativeSpread) {
            this.minRelativeSpread = minRelativeSpread;
            return this;
        }

        public Builder maxModels(int maxModels) {
            this.maxModels = maxModels;
            return this;
        }

        public AnomalySettings build() {
            return new AnomalySettings(threshold, warmUpSamples, windowSize, sensitivity, minRelativeSpread,
                    maxModels);
        }
    }
}
