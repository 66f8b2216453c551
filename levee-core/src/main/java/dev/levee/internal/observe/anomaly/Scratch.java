package dev.levee.internal.observe.anomaly;

/**
 * A thread's working space for the content checks: the word array and the two shingle sets a
 * check needs are the ones the thread's previous request used, emptied. Allocated per answer and
 * sized to it, they were dead microseconds later, and made most of what scoring an answer
 * allocated: 30 KB for a 1,600-character answer, now 7 KB (levee-bench {@code AnomalyScoring}),
 * garbage that brings on the young collections that stop the event loops.
 *
 * <p>Only tables up to {@value #KEEP_LONGS} longs are kept (8 KB each, 24 KB a thread): a longer
 * answer gets fresh ones, as before, so a thread never holds more than that for an outsized answer
 * it saw once.
 */
final class Scratch {
    static final int KEEP_LONGS = 1024;
    private static final ThreadLocal<Scratch> THREAD = ThreadLocal.withInitial(Scratch::new);

    private final long[] words = new long[KEEP_LONGS];
    private final LongSet first = new LongSet(KEEP_LONGS / 2);
    private final LongSet second = new LongSet(KEEP_LONGS / 2);

    private Scratch() {
    }

    /** Room for {@code length} word hashes, valid until this thread's next call; not zeroed. */
    static long[] words(int length) {
        return length <= KEEP_LONGS ? THREAD.get().words : new long[length];
    }

    /** An empty set for {@code expected} entries; the thread's first one when it fits. */
    static LongSet firstSet(int expected) {
        return fit(THREAD.get().first, expected);
    }

    /** An empty set for {@code expected} entries, other than {@link #firstSet}'s. */
    static LongSet secondSet(int expected) {
        return fit(THREAD.get().second, expected);
    }

    private static LongSet fit(LongSet kept, int expected) {
        return LongSet.capacityFor(expected) <= KEEP_LONGS ? kept.clear(expected) : new LongSet(expected);
    }
}
