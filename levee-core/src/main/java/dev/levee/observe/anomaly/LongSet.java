package dev.levee.observe.anomaly;

/** A fixed-capacity open-addressing set of longs, for counting distinct shingles without boxing. */
final class LongSet {
    private static final long EMPTY = 0;

    private final long[] table;
    private final int mask;
    private boolean hasEmpty;

    /** Room for {@code expected} entries at a load factor of at most one half. */
    LongSet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        table = new long[capacity];
        mask = capacity - 1;
    }

    /** Adds the value; true when it was not there yet. */
    boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !hasEmpty;
            hasEmpty = true;
            return added;
        }
        int i = (int) (value ^ (value >>> 32)) & mask;
        while (table[i] != EMPTY) {
            if (table[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = value;
        return true;
    }

    boolean contains(long value) {
        if (value == EMPTY) {
            return hasEmpty;
        }
        int i = (int) (value ^ (value >>> 32)) & mask;
        while (table[i] != EMPTY) {
            if (table[i] == value) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }
}
