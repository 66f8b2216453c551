package dev.levee.internal.limits;

import java.util.List;

/** What one request takes from its counters, under an id that is unique to it. */
record Reservation(String id, List<Counter> counters) {
    Reservation {
        counters = List.copyOf(counters);
    }
}
