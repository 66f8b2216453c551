package dev.levee.internal.observe.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last {@code capacity} items, for a live view: adding past the capacity forgets the oldest.
 * Written from event loops and read by the gateway's views; a short lock, no allocation but the
 * item's own.
 */
final class Ring<T> {
    private final ArrayDeque<T> items;
    private final int capacity;

    Ring(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(capacity);
    }

    /** Adds {@code item}; returns the item it pushed out, or {@code null}. */
    synchronized T add(T item) {
        T dropped = items.size() == capacity ? items.pollFirst() : null;
        items.addLast(item);
        return dropped;
    }

    /** Up to {@code limit} items, newest first. */
    synchronized List<T> newestFirst(int limit) {
        List<T> out = new ArrayList<>(Math.min(limit, items.size()));
        for (Iterator<T> it = items.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            out.add(it.next());
        }
        return out;
    }
}
