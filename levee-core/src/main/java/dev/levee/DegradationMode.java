package dev.levee;

/**
 * How much the gateway is holding back on purpose, from its breakers and its fallback rate.
 *
 * <ul>
 *   <li>{@link #NORMAL}: everything as configured.</li>
 *   <li>{@link #DEGRADED}: {@code max_tokens} capped and tiers marked {@code expensive} skipped.</li>
 *   <li>{@link #EMERGENCY}: only critical keys reach providers; everyone else gets the rule-based reply.</li>
 * </ul>
 */
public enum DegradationMode {
    NORMAL, DEGRADED, EMERGENCY;

    /** The lower-case name, as in {@code /health/ready} and logs. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
