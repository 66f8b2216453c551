package dev.levee.internal.limits;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts of one process — the embedded default, and what {@link SharedCounters} falls back to
 * while Redis is away. The semantics of the Redis scripts ({@code reserve.lua}, {@code settle.lua}) on
 * the injected clock: a window keeps one amount per second, a held count one entry per request in
 * flight. Every operation is a few map updates under one lock.
 */
final class LocalCounters implements Counters {
    private final Clock clock;
    private final Map<String, Meter> meters = new HashMap<>();
    private int operations;

    LocalCounters(Clock clock) {
        this.clock = clock;
    }

    /**
     * One counter: a window's seconds, or the entries it holds (in the order taken, so of expiry).
     * A window keeps its seconds in a ring of one slot per second of its span, made on first use:
     * every request reads and settles a second by index, where a sorted map of boxed seconds cost a
     * tree walk and an allocation each time (bench/: about 2 % of a request's CPU with limits on).
     */
    private static final class Meter {
        private static final long EMPTY = Long.MIN_VALUE;

        long[] second; // slot -> the second it holds, or EMPTY
        long[] amount; // slot -> what was taken in that second
        long floor = EMPTY; // every second below this has left the window
        long newest = EMPTY; // the latest second taken, live while >= floor
        final LinkedHashMap<String, long[]> held = new LinkedHashMap<>(); // id -> {expiry, amount}
        long sum;
        long spent;
        long expiresAt;

        /** Makes the ring for a window of {@code spanMillis} (the window keeps its last span/1000 seconds). */
        void window(long spanMillis) {
            if (second == null) {
                int slots = (int) Math.max(spanMillis / 1000, 1);
                second = new long[slots];
                amount = new long[slots];
                java.util.Arrays.fill(second, EMPTY);
            }
        }

        private int slot(long s) {
            return (int) Math.floorMod(s, (long) second.length);
        }

        /** Forgets every second up to {@code first}: at most one look at each slot. */
        void dropSecondsUpTo(long first) {
            if (floor != EMPTY && first < floor) {
                return;
            }
            long from = floor == EMPTY ? first - second.length + 1 : Math.max(floor, first - second.length + 1);
            for (long s = from; s <= first; s++) {
                int i = slot(s);
                if (second[i] != EMPTY && second[i] <= first) {
                    sum -= amount[i];
                    second[i] = EMPTY;
                    amount[i] = 0;
                }
            }
            floor = first + 1;
        }

        void take(long s, long n) {
            int i = slot(s);
            if (second[i] != s) { // the slot's old second left the window before s was reached
                second[i] = s;
                amount[i] = 0;
            }
            amount[i] += n;
            newest = Math.max(newest, s);
        }

        /** The amount slot of second {@code s}, or -1 once it has left the window. */
        int find(long s) {
            int i = slot(s);
            return second != null && second[i] == s && s >= floor ? i : -1;
        }

        boolean hasSeconds() {
            return newest != EMPTY && newest >= floor;
        }

        void expire(long now) {
            for (Iterator<long[]> it = held.values().iterator(); it.hasNext(); ) {
                long[] e = it.next();
                if (e[0] > now) {
                    return;
                }
                sum -= e[1];
                it.remove();
            }
        }
    }

    @Override
    public synchronized Future<Admission> reserve(Reservation reservation) {
        long now = clock.millis();
        long second = Math.floorDiv(now, 1000);
        sweep(now);
        int n = reservation.counters().size();
        Meter[] ms = new Meter[n];
        long[] used = new long[n];
        int refused = -1;
        long retry = 0;
        for (int i = 0; i < n; i++) {
            Counter c = reservation.counters().get(i);
            Meter m = meters.computeIfAbsent(c.name(), k -> new Meter());
            ms[i] = m;
            if (c.kind().windowed()) {
                m.window(c.spanMillis());
                m.dropSecondsUpTo(second - c.spanMillis() / 1000);
            } else {
                m.expire(now);
            }
            used[i] = m.sum + m.spent;
            if (refused < 0 && used[i] + c.amount() > c.limit()) {
                refused = i;
                retry = c.kind().windowed() ? windowRetry(m, c, used[i], now) : 1000;
            }
        }
        long[] remaining = new long[n];
        long[] reset = new long[n];
        for (int i = 0; i < n; i++) {
            Counter c = reservation.counters().get(i);
            Meter m = ms[i];
            long taken = used[i];
            if (refused < 0) {
                if (c.kind().windowed()) {
                    m.take(second, c.amount());
                } else {
                    m.held.put(reservation.id(), new long[] {now + c.spanMillis(), c.amount()});
                }
                m.sum += c.amount();
                m.expiresAt = now + c.lifetimeMillis();
                taken += c.amount();
            }
            remaining[i] = Math.max(c.limit() - taken, 0);
            if (c.kind().windowed() && m.hasSeconds()) {
                reset[i] = Math.max(m.newest * 1000 + c.spanMillis() - now, 0);
            }
        }
        return Future.succeededFuture(new Admission(refused, Math.max(retry, 0), remaining, reset, now));
    }

    /** Until enough of the oldest seconds have left the window. */
    private static long windowRetry(Meter m, Counter c, long used, long now) {
        long need = used + c.amount() - c.limit();
        long freed = 0;
        for (long s = Math.max(m.floor, m.newest - m.second.length + 1); s <= m.newest; s++) { // oldest first
            int i = m.find(s);
            if (i >= 0) {
                freed += m.amount[i];
                if (freed >= need) {
                    return s * 1000 + c.spanMillis() - now;
                }
            }
        }
        return 1000;
    }

    @Override
    public synchronized Future<Void> settle(Reservation reservation, long takenAtMillis, long[] actual) {
        long now = clock.millis();
        for (int i = 0; i < reservation.counters().size(); i++) {
            Counter c = reservation.counters().get(i);
            Meter m = meters.get(c.name());
            if (m == null) {
                continue;
            }
            if (c.kind().windowed()) {
                int slot = m.find(Math.floorDiv(takenAtMillis, 1000));
                if (slot >= 0) { // still in its window
                    m.amount[slot] += actual[i] - c.amount();
                    m.sum += actual[i] - c.amount();
                }
            } else {
                long[] entry = m.held.remove(reservation.id());
                if (entry != null) {
                    m.sum -= entry[1];
                }
                if (c.kind() == Counter.Kind.BUDGET && actual[i] > 0) {
                    m.spent += actual[i];
                    m.expiresAt = now + c.lifetimeMillis();
                }
            }
        }
        return Future.succeededFuture();
    }

    /** Now and then, forgets counters nobody has used for their lifetime (past budget periods, idle keys). */
    private void sweep(long now) {
        if (++operations % 4096 != 0) {
            return;
        }
        meters.values().removeIf(m -> m.expiresAt < now);
    }
}
