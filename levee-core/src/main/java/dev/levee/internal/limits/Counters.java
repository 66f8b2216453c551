package dev.levee.internal.limits;

import io.vertx.core.Future;

/** Where the counts live: in this process, or in Redis for every instance. */
interface Counters {
    /** Checks every counter and, only when all have room, takes the reservation from each, atomically. */
    Future<Admission> reserve(Reservation reservation);

    /**
     * Replaces the reservation by what the request used, and releases what it held.
     *
     * @param takenAtMillis the admission's {@link Admission#takenAtMillis()}
     * @param actual per counter: requests 1, tokens used, concurrency 0, cost in nano-USD
     */
    Future<Void> settle(Reservation reservation, long takenAtMillis, long[] actual);

    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
