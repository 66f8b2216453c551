package dev.levee.internal.limits;

/**
 * The answer to a reservation: taken, or refused by one of its counters.
 *
 * @param refused the index of the counter that refused it, or -1
 * @param retryAfterMillis when the refusing counter will have room again (0 when admitted)
 * @param remaining per counter, what is left after this request
 * @param resetMillis per counter, in how long its window is empty again (0 for counts that are not windows)
 * @param takenAtMillis when it was taken, on the counters' clock: settling finds its window's second by it
 */
record Admission(int refused, long retryAfterMillis, long[] remaining, long[] resetMillis, long takenAtMillis) {
    boolean admitted() {
        return refused < 0;
    }
}
