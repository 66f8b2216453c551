package dev.levee.internal.observe.live;

import dev.levee.Attempt;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.TrafficSeries;
import dev.levee.TrafficSeries.Point;
import dev.levee.TrafficSeries.Scope;
import dev.levee.config.PriceTable;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Requests per five-second bucket over the last fifteen minutes — counts, errors, fallbacks, tokens,
 * cost and latency percentiles — for all traffic, per route and per target: what the console's
 * live charts draw.
 *
 * <p>Bucketed by the events' own instants (the injected clock), into a fixed ring of slots reused as
 * time moves on, so memory stays flat: per slot one cell per route and target in the config, and
 * each cell's latencies in an HdrHistogram at one significant digit (a percentile within about 6 %,
 * ~1.7 KB a cell). Routes and targets are the config's: other names are counted under {@code all} only.
 */
public final class Traffic implements LeveeEventListener {
    public static final Duration BUCKET = Duration.ofSeconds(5);
    public static final int BUCKETS = 180;
    private static final long BUCKET_MILLIS = BUCKET.toMillis();
    private static final long MAX_MICROS = Duration.ofMinutes(10).toNanos() / 1000;
    private static final Key ALL = new Key(Scope.ALL, "all");

    private final Clock clock;
    /** The key of each configured route and target, made once: names from elsewhere are not counted apart. */
    private final Map<String, Key> routes = new HashMap<>();
    private final Map<String, Key> targets = new HashMap<>();
    private final Slot[] slots = new Slot[BUCKETS];

    /**
     * @param routes the configured route names (others are counted under {@code all} only)
     * @param targets the configured targets
     */
    public Traffic(Clock clock, Collection<String> routes, Collection<String> targets) {
        this.clock = clock;
        routes.forEach(name -> this.routes.put(name, new Key(Scope.ROUTE, name)));
        targets.forEach(name -> this.targets.put(name, new Key(Scope.TARGET, name)));
        for (int i = 0; i < BUCKETS; i++) {
            slots[i] = new Slot();
        }
    }

    private record Key(Scope scope, String name) {
    }

    /** One scope's figures in one bucket. */
    private static final class Cell {
        long requests;
        long errors;
        long fallbacks;
        long promptTokens;
        long completionTokens;
        long costNanos;
        final IntCountsHistogram latencyMicros = new IntCountsHistogram(1, MAX_MICROS, 1);

        void reset() {
            requests = errors = fallbacks = promptTokens = completionTokens = costNanos = 0;
            latencyMicros.reset();
        }

        void latency(double ms) {
            latencyMicros.recordValue(Math.max(1, Math.min(MAX_MICROS, Math.round(ms * 1000))));
        }

        Double percentile(double p) {
            return latencyMicros.getTotalCount() == 0 ? null : latencyMicros.getValueAtPercentile(p) / 1000.0;
        }
    }

    /** The cells of one bucket; reused (reset, not reallocated) when the ring comes round. */
    private static final class Slot {
        long bucket = Long.MIN_VALUE;
        final Map<Key, Cell> cells = new LinkedHashMap<>();

        Cell cell(Key key) {
            return cells.computeIfAbsent(key, k -> new Cell());
        }
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.RequestCompleted done) {
            completed(done);
        } else if (event instanceof LeveeEvent.RequestFailed failed) {
            failed(failed);
        }
    }

    private synchronized void completed(LeveeEvent.RequestCompleted e) {
        Slot slot = slot(e.at());
        if (slot == null) {
            return;
        }
        ChatResponse r = e.response();
        answered(slot.cell(ALL), r, e.costNanos());
        Key route = r.route() == null ? null : routes.get(r.route());
        if (route != null) {
            answered(slot.cell(route), r, e.costNanos());
        }
        attempts(slot, r.attempts(), r.usage().promptTokens(), r.usage().completionTokens(), e.costNanos());
    }

    private synchronized void failed(LeveeEvent.RequestFailed e) {
        Slot slot = slot(e.at());
        if (slot == null) {
            return;
        }
        boolean cancelled = e.error().kind() == LeveeException.Kind.CANCELLED;
        // A request refused before routing (no key, unreadable) is traffic and an error, but its
        // "latency" is only how fast it was refused: it would pull the percentiles down.
        boolean routed = e.route() != null && e.request() != null;
        Cell all = slot.cell(ALL);
        all.requests++;
        all.errors += cancelled ? 0 : 1;
        if (routed) {
            all.latency(e.latencyMs());
            Key route = routes.get(e.route());
            if (route != null) {
                Cell cell = slot.cell(route);
                cell.requests++;
                cell.errors += cancelled ? 0 : 1;
                cell.latency(e.latencyMs());
            }
        }
        attempts(slot, e.attempts(), 0, 0, 0);
    }

    private static void answered(Cell cell, ChatResponse r, long costNanos) {
        cell.requests++;
        cell.fallbacks += r.fallbackUsed() ? 1 : 0;
        cell.promptTokens += r.usage().promptTokens();
        cell.completionTokens += r.usage().completionTokens();
        cell.costNanos += costNanos;
        cell.latency(r.latencyMs());
    }

    /** Calls to targets: those that reached the upstream, not the skipped tiers. */
    private void attempts(Slot slot, List<Attempt> attempts, long promptTokens, long completionTokens, long costNanos) {
        for (Attempt a : attempts) {
            boolean called = a.outcome() == Attempt.Outcome.SUCCEEDED || a.outcome() == Attempt.Outcome.FAILED;
            Key target = called && a.target() != null ? targets.get(a.target()) : null;
            if (target == null) {
                continue;
            }
            Cell cell = slot.cell(target);
            cell.requests++;
            cell.latency(a.latencyMs());
            if (a.outcome() == Attempt.Outcome.FAILED) {
                cell.errors++;
            } else {
                cell.promptTokens += promptTokens;
                cell.completionTokens += completionTokens;
                cell.costNanos += costNanos;
            }
        }
    }

    /** The slot for an instant, reset when the ring comes round to it; {@code null} when too old. */
    private Slot slot(Instant at) {
        long bucket = Math.floorDiv(at.toEpochMilli(), BUCKET_MILLIS);
        Slot slot = slots[(int) Math.floorMod(bucket, (long) BUCKETS)];
        if (slot.bucket == bucket) {
            return slot;
        }
        if (slot.bucket > bucket) {
            return null; // an event from longer ago than the ring holds
        }
        slot.bucket = bucket;
        slot.cells.values().forEach(Cell::reset);
        return slot;
    }

    /** Every series with a point for each of the last {@link #BUCKETS} buckets, oldest first. */
    public synchronized TrafficSeries snapshot() {
        Instant now = clock.instant();
        long last = Math.floorDiv(now.toEpochMilli(), BUCKET_MILLIS);
        long first = last - BUCKETS + 1;
        Map<Key, List<Point>> series = new LinkedHashMap<>();
        series.put(ALL, new ArrayList<>(BUCKETS));
        for (Slot slot : slots) {
            if (slot.bucket >= first && slot.bucket <= last) {
                slot.cells.forEach((key, cell) -> {
                    if (cell.requests > 0) {
                        series.computeIfAbsent(key, k -> new ArrayList<>(BUCKETS));
                    }
                });
            }
        }
        for (long b = first; b <= last; b++) {
            Slot slot = slots[(int) Math.floorMod(b, (long) BUCKETS)];
            Instant start = Instant.ofEpochMilli(b * BUCKET_MILLIS);
            for (Map.Entry<Key, List<Point>> s : series.entrySet()) {
                Cell cell = slot.bucket == b ? slot.cells.get(s.getKey()) : null;
                s.getValue().add(cell == null || cell.requests == 0 ? quiet(start) : point(start, cell));
            }
        }
        List<TrafficSeries.Series> out = new ArrayList<>(series.size());
        series.forEach((key, points) -> out.add(new TrafficSeries.Series(key.scope(), key.name(), points)));
        return new TrafficSeries(BUCKET, now, out);
    }

    private static Point quiet(Instant start) {
        return new Point(start, 0, 0, 0, 0, 0, java.math.BigDecimal.ZERO, null, null, null);
    }

    private static Point point(Instant start, Cell c) {
        return new Point(start, c.requests, c.errors, c.fallbacks, c.promptTokens, c.completionTokens,
                PriceTable.usd(c.costNanos), c.percentile(50), c.percentile(95), c.percentile(99));
    }
}
