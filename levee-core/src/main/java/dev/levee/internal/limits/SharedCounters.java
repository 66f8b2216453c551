package dev.levee.internal.limits;

import dev.levee.config.PriceTable;
import dev.levee.config.StateConfig;
import dev.levee.config.StateConfig.FailurePolicy;
import dev.levee.internal.chain.Events;
import dev.levee.internal.resilience.DependencyBreaker;
import dev.levee.spi.LeveeEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis's counts, with what each limit does while Redis cannot be reached. A breaker stops asking a
 * Redis that keeps failing, so a request pays its timeout only until the breaker opens; it asks again
 * after a second, and levee is back on the shared counts by itself as soon as Redis answers. Meanwhile a
 * reservation whose limits all {@linkplain FailurePolicy#FAIL_OPEN fail open} is counted in this process;
 * one with a limit that {@linkplain FailurePolicy#FAIL_CLOSED fails closed} is refused.
 *
 * <p>What a budget that fails open spent meanwhile is added to Redis's count once Redis answers again,
 * so an outage does not hand a team a second budget. Windows are not: they are a minute long, and by
 * the time Redis is back the requests counted here have mostly left them.
 */
final class SharedCounters implements Counters {
    private static final Logger log = LoggerFactory.getLogger("levee.limits");
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SETTLE_ATTEMPTS = 5;
    /** The reservation id of a repayment: no request's, so Redis holds nothing under it and only adds the spend. */
    private static final String REPAYMENT_ID = "spent-while-redis-was-away";

    private final Vertx vertx;
    private final Counters redis;
    private final Counters local;
    private final StateConfig config;
    private final DependencyBreaker breaker;
    /** Reservations taken in this process while Redis was away: they are settled here too. */
    private final Set<String> heldLocally = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    /** Spent here while Redis was away (nano-USD), by budget counter, until Redis has counted it. */
    private final Map<String, Owed> owed = new ConcurrentHashMap<>();

    /** @param counter the budget counter as the request reserved it: its name, lifetime and kind */
    private record Owed(Counter counter, long nanos) {
        Owed plus(Owed other) {
            return new Owed(counter, nanos + other.nanos);
        }
    }

    SharedCounters(Vertx vertx, Counters redis, Counters local, StateConfig config, Events events) {
        this.vertx = vertx;
        this.redis = redis;
        this.local = local;
        this.config = config;
        this.breaker = new DependencyBreaker("redis", up -> {
            if (up) {
                log.info("Limits: Redis at {} answers again; counting there", where());
            }
            events.emit(new LeveeEvent.DependencyChanged(null, java.time.Instant.now(), "redis " + where(), up, up
                    ? "shared limits are counted in Redis again"
                    : "limits that fail open are counted per instance, those that fail closed refuse requests"));
        });
    }

    @Override
    public Future<Admission> reserve(Reservation reservation) {
        if (!breaker.permits()) {
            return unreachable(reservation, "it failed repeatedly; asking again shortly");
        }
        long start = System.nanoTime();
        return redis.reserve(reservation).transform(ar -> {
            if (ar.succeeded()) {
                breaker.succeeded(System.nanoTime() - start);
                if (!owed.isEmpty()) {
                    repay();
                }
                return Future.succeededFuture(ar.result());
            }
            breaker.failed(System.nanoTime() - start, ar.cause());
            return unreachable(reservation, describe(ar.cause()));
        });
    }

    private Future<Admission> unreachable(Reservation reservation, String why) {
        for (Counter c : reservation.counters()) {
            if (config.policy(c.kind().label) == FailurePolicy.FAIL_CLOSED) {
                warn("Limits: Redis at {} is unreachable ({}); refusing requests under a {} limit (fail_closed)",
                        why, c.kind().label);
                return Future.failedFuture(new Unavailable(c.kind()));
            }
        }
        warn("Limits: Redis at {} is unreachable ({}); counting in this process meanwhile (fail_open)", why, null);
        heldLocally.add(reservation.id());
        return local.reserve(reservation);
    }

    @Override
    public Future<Void> settle(Reservation reservation, long takenAtMillis, long[] actual) {
        if (heldLocally.remove(reservation.id())) {
            List<Counter> counters = reservation.counters();
            for (int i = 0; i < counters.size(); i++) {
                if (counters.get(i).kind() == Counter.Kind.BUDGET && actual[i] > 0) {
                    owe(new Owed(counters.get(i), actual[i]));
                }
            }
            return local.settle(reservation, takenAtMillis, actual);
        }
        return settleShared(reservation, takenAtMillis, actual, 1);
    }

    private void owe(Owed spent) {
        owed.merge(spent.counter().name(), spent, Owed::plus);
    }

    /**
     * Adds what budgets spent here while Redis was away to Redis's counts: a settlement of a reservation
     * Redis never held adds its amount to the period's spend ({@code settle.lua}). Called after Redis
     * answered a reservation, so also for a request admitted during the outage that ends after it. Each
     * debt is taken out before it is sent, so two event loops never send the same one; one Redis did not
     * take is owed again. A settlement that Redis ran but whose answer was lost is owed again too, and
     * counted twice: the error that keeps a budget on the safe side.
     */
    private void repay() {
        for (String name : owed.keySet()) {
            Owed debt = owed.remove(name);
            if (debt == null) {
                continue; // another event loop took it
            }
            Reservation repayment = new Reservation(REPAYMENT_ID, List.of(debt.counter()));
            redis.settle(repayment, 0, new long[] {debt.nanos()}).onComplete(ar -> {
                if (ar.succeeded()) {
                    log.info("Limits: a budget's spend while Redis at {} was away (${}) is counted there now", where(),
                            PriceTable.usd(debt.nanos()).toPlainString());
                } else {
                    owe(debt);
                }
            });
        }
    }

    /** A settlement Redis did not take is tried again a few times; past that its reservation expires there. */
    private Future<Void> settleShared(Reservation reservation, long takenAtMillis, long[] actual, int attempt) {
        return redis.settle(reservation, takenAtMillis, actual).recover(e -> {
            if (attempt >= SETTLE_ATTEMPTS) {
                warn("Limits: a settlement could not reach Redis at {} ({}); its reservation expires there{}",
                        describe(e), "");
                return Future.failedFuture(e);
            }
            return vertx.timer(500L * attempt).compose(t -> settleShared(reservation, takenAtMillis, actual, attempt + 1));
        });
    }

    private void warn(String format, String why, String detail) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn(format, where(), why, detail == null ? "" : detail);
        }
    }

    /** The Redis address without credentials. */
    private String where() {
        return config.redis().getHost() + ":" + config.redis().getPort();
    }

    private static String describe(Throwable e) {
        String type = e.getClass().getSimpleName();
        return e instanceof java.util.concurrent.TimeoutException || type.contains("Timeout") ? "timed out"
                : type; // never the message: a Redis error can echo what was sent
    }

    @Override
    public Future<Void> close() {
        return Future.join(redis.close(), local.close()).mapEmpty();
    }

    /** The limits of this kind fail closed, and Redis cannot be reached. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Counter.Kind kind;

        Unavailable(Counter.Kind kind) {
            super(null, null, false, false);
            this.kind = kind;
        }
    }
}
