package dev.levee.internal.observe.anomaly;

/** A fixed-capacity open-addressing set of longs, for counting distinct shingles without boxing. */
final class LongSet {
    private static final long EMPTY = 0;

    private long[] table;
    /** The slots in use are the table's first {@code mask + 1}: after {@link #clear} it may be longer. */
    private int mask;
    private boolean hasEmpty;

    /** Room for {@code expected} entries at a load factor of at most one half. */
    LongSet(int expected) {
        int capacity = capacityFor(expected);
        table = new long[capacity];
        mask = capacity - 1;
    }

    /** The table a set for {@code expected} entries needs: a power of two, at least twice as many slots. */
    static int capacityFor(int expected) {
        return Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    }

    /**
     * Empties the set and makes room for {@code expected} entries, in the table it has when that is
     * large enough (only the slots now needed are cleared and used).
     */
    LongSet clear(int expected) {
        int capacity = capacityFor(expected);
        if (capacity > table.length) {
            table = new long[capacity];
        } else {
            java.util.Arrays.fill(table, 0, capacity, EMPTY);
        }
        mask = capacity - 1;
        hasEmpty = false;
        return this;
    }

    /** Adds the value; true when it was not there yet. */
    boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !hasEmpty;
            hasEmpty = true;
            return added;
        }
        int i = slot(value);
        while (table[i] != EMPTY) {
            if (table[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = value;
        return true;
    }

    /**
     * The home slot: the value's bits mixed (Fibonacci hashing) so that hashes whose low bits
     * agree — word hashes combined by shifts and adds — still spread over the table instead of
     * forming long probe runs.
     */
    private int slot(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    boolean contains(long value) {
        if (value == EMPTY) {
            return hasEmpty;
        }
        int i = slot(value);
        while (table[i] != EMPTY) {
            if (table[i] == value) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }
}
