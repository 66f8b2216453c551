package dev.levee.internal.limits;

/**
 * One count a reservation takes and checks against its limit.
 *
 * @param name where it is kept: unique per caller or team, kind and (for a budget) period
 * @param limit the most it may reach
 * @param amount what this request takes: 1 request, its estimated tokens, 1 slot, its estimated cost (nano-USD)
 * @param spanMillis a window's length; for held and budget counts, how long a reservation lasts unsettled
 * @param lifetimeMillis how long the count is kept after its last use
 */
record Counter(String name, Kind kind, long limit, long amount, long spanMillis, long lifetimeMillis) {
    enum Kind {
        REQUESTS("requests", 'w'),
        TOKENS("tokens", 'w'),
        CONCURRENCY("concurrency", 'h'),
        BUDGET("budget", 'b');

        /** The name of this kind in config ({@code state.on_failure}) and in metrics. */
        final String label;
        /** How it is counted: a rolling window ('w'), held until released ('h'), spent in a period ('b'). */
        final char mode;

        Kind(String label, char mode) {
            this.label = label;
            this.mode = mode;
        }

        boolean windowed() {
            return mode == 'w';
        }
    }
}
