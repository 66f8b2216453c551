package dev.levee.internal.limits;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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

    /** One counter: a window's seconds, or the entries it holds (in the order taken, so of expiry). */
    private static final class Meter {
        final TreeMap<Long, long[]> seconds = new TreeMap<>();
        final LinkedHashMap<String, long[]> held = new LinkedHashMap<>(); // id -> {expiry, amount}
        long sum;
        long spent;
        long expiresAt;

        void dropSecondsUpTo(long first) {
            for (Iterator<long[]> it = seconds.headMap(first, true).values().iterator(); it.hasNext(); ) {
                sum -= it.next()[0];
                it.remove();
            }
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
                    m.seconds.computeIfAbsent(second, s -> new long[1])[0] += c.amount();
                } else {
                    m.held.put(reservation.id(), new long[] {now + c.spanMillis(), c.amount()});
                }
                m.sum += c.amount();
                m.expiresAt = now + c.lifetimeMillis();
                taken += c.amount();
            }
            remaining[i] = Math.max(c.limit() - taken, 0);
            if (c.kind().windowed() && !m.seconds.isEmpty()) {
                reset[i] = Math.max(m.seconds.lastKey() * 1000 + c.spanMillis() - now, 0);
            }
        }
        return Future.succeededFuture(new Admission(refused, Math.max(retry, 0), remaining, reset, now));
    }

    /** Until enough of the oldest seconds have left the window. */
    private static long windowRetry(Meter m, Counter c, long used, long now) {
        long need = used + c.amount() - c.limit();
        long freed = 0;
        for (Map.Entry<Long, long[]> s : m.seconds.entrySet()) {
            freed += s.getValue()[0];
            if (freed >= need) {
                return s.getKey() * 1000 + c.spanMillis() - now;
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
                long[] second = m.seconds.get(Math.floorDiv(takenAtMillis, 1000));
                if (second != null) { // still in its window
                    second[0] += actual[i] - c.amount();
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
