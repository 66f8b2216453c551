package dev.levee.internal.observe.anomaly;

/** The per-model baselines, and which side of each is suspicious. */
enum Metric {
    LATENCY("latency", " ms", true, false),
    TTFT("time to first token", " ms", true, false),
    /** Both sides: far fewer tokens than usual (cut short) and far more (runaway generation). */
    OUTPUT_TOKENS("output tokens", "", true, true),
    /** Only the slow side: a fast answer is good news. */
    TOKENS_PER_SECOND("throughput", " tokens/s", false, true);

    final String label;
    final String unit;
    final boolean flagsHigh;
    final boolean flagsLow;

    Metric(String label, String unit, boolean flagsHigh, boolean flagsLow) {
        this.label = label;
        this.unit = unit;
        this.flagsHigh = flagsHigh;
        this.flagsLow = flagsLow;
    }
}
