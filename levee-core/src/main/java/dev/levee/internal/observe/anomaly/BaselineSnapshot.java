package dev.levee.internal.observe.anomaly;

/**
 * A model's learned baselines, for statistics pages and debugging.
 *
 * @param latencyMs wall time of the whole answer
 * @param ttftMs time to first token (streams only)
 * @param outputTokens completion tokens
 * @param tokensPerSecond completion tokens per second of wall time
 */
public record BaselineSnapshot(String model, Stat latencyMs, Stat ttftMs, Stat outputTokens, Stat tokensPerSecond) {

    /**
     * @param samples values in the window
     * @param p50 the median, {@code NaN} without samples
     * @param spread the median absolute deviation as a factor on the median minus one (0.1 = typical
     *        values lie within about 10 % of the median), {@code NaN} without samples
     */
    public record Stat(int samples, double p50, double spread) {
    }
}
