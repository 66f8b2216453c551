package dev.levee.internal.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.TestSupport;
import dev.levee.config.StateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two places counts live agree: in process and the Redis scripts at 127.0.0.1:6379 — windows,
 * reconciling, held counts released and expiring, budgets spent and pending. And the Redis window
 * forgets a second that left it (aged here by rewriting the hash, since the script reads Redis's clock).
 */
class CountersTest {
    private static Vertx vertx;
    private static Redis redis;
    private static final String PREFIX = "levee-counters-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static Stream<String> places() {
        return Stream.of("local", "redis");
    }

    private static Counters counters(String place) {
        return place.equals("local") ? new LocalCounters(Clock.systemUTC())
                : new RedisCounters(vertx, new StateConfig(URI.create("redis://127.0.0.1:6379"), null, "levee",
                        Duration.ofSeconds(2), java.util.Map.of()));
    }

    private static String name(String what) {
        return PREFIX + ":{" + what + ThreadLocalRandom.current().nextInt() + "}:c";
    }

    private static <T> T join(Future<T> f) {
        return f.toCompletionStage().toCompletableFuture().join();
    }

    private static Reservation reservation(Counter... counters) {
        return new Reservation(Long.toHexString(ThreadLocalRandom.current().nextLong()), List.of(counters));
    }

    @ParameterizedTest
    @MethodSource("places")
    void aWindowAdmitsUpToItsLimitAndSaysWhenThereIsRoomAgain(String place) {
        Counters c = counters(place);
        Counter rpm = new Counter(name("w"), Counter.Kind.REQUESTS, 3, 1, 60_000, 61_000);
        for (int i = 0; i < 3; i++) {
            Admission a = join(c.reserve(reservation(rpm)));
            assertThat(a.admitted()).isTrue();
            assertThat(a.remaining()[0]).isEqualTo(2 - i);
        }
        Admission refused = join(c.reserve(reservation(rpm)));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.refused()).isZero();
        assertThat(refused.retryAfterMillis()).isBetween(58_000L, 60_000L);
        assertThat(refused.resetMillis()[0]).isBetween(58_000L, 60_000L);
    }

    @ParameterizedTest
    @MethodSource("places")
    void settlingReplacesTheEstimateByWhatWasUsed(String place) {
        Counters c = counters(place);
        Counter tpm = new Counter(name("t"), Counter.Kind.TOKENS, 150, 100, 60_000, 61_000);
        Reservation first = reservation(tpm);
        Admission a = join(c.reserve(first));
        assertThat(join(c.reserve(reservation(tpm))).admitted()).as("100 + 100 > 150").isFalse();
        join(c.settle(first, a.takenAtMillis(), new long[] {10}));
        Admission second = join(c.reserve(reservation(tpm)));
        assertThat(second.admitted()).as("10 + 100 <= 150").isTrue();
        assertThat(second.remaining()[0]).isEqualTo(40);
    }

    @ParameterizedTest
    @MethodSource("places")
    void aHeldCountIsReleasedBySettlingAndExpiresWhenNeverSettled(String place) throws Exception {
        Counters c = counters(place);
        Counter slot = new Counter(name("h"), Counter.Kind.CONCURRENCY, 1, 1, 60_000, 60_000);
        Reservation held = reservation(slot);
        Admission a = join(c.reserve(held));
        assertThat(join(c.reserve(reservation(slot))).admitted()).isFalse();
        join(c.settle(held, a.takenAtMillis(), new long[] {0}));
        assertThat(join(c.reserve(reservation(slot))).admitted()).isTrue();

        Counter brief = new Counter(name("e"), Counter.Kind.CONCURRENCY, 1, 1, 20, 60_000); // expires in 20 ms
        assertThat(join(c.reserve(reservation(brief))).admitted()).isTrue();
        Thread.sleep(50);
        assertThat(join(c.reserve(reservation(brief))).admitted()).as("the crashed holder's slot expired").isTrue();
    }

    @ParameterizedTest
    @MethodSource("places")
    void aBudgetCountsWhatWasSpentAndWhatIsPending(String place) {
        Counters c = counters(place);
        Counter budget = new Counter(name("b"), Counter.Kind.BUDGET, 1000, 400, 60_000, 86_400_000);
        Reservation first = reservation(budget);
        Admission a = join(c.reserve(first));
        join(c.settle(first, a.takenAtMillis(), new long[] {500})); // spent more than estimated
        assertThat(join(c.reserve(reservation(budget))).admitted()).as("500 + 400 <= 1000").isTrue();
        Counter more = new Counter(budget.name(), Counter.Kind.BUDGET, 1000, 200, 60_000, 86_400_000);
        Admission refused = join(c.reserve(reservation(more)));
        assertThat(refused.admitted()).as("500 spent + 400 pending + 200 > 1000").isFalse();
        assertThat(refused.remaining()[0]).isEqualTo(100);
    }

    @Test
    void aLocalWindowSlidesSecondBySecondOverAnIdleGapLongerThanItself() {
        TestSupport.MutableClock clock = new TestSupport.MutableClock();
        Counters c = new LocalCounters(clock);
        Counter rpm = new Counter("rpm", Counter.Kind.REQUESTS, 3, 1, 60_000, 600_000);
        for (int i = 0; i < 3; i++) { // at 0 s, 20 s and 40 s
            assertThat(join(c.reserve(reservation(rpm))).remaining()[0]).isEqualTo(2 - i);
            clock.advance(Duration.ofSeconds(20));
        }
        clock.advance(Duration.ofSeconds(-10)); // 50 s
        Admission full = join(c.reserve(reservation(rpm)));
        assertThat(full.admitted()).isFalse();
        assertThat(full.retryAfterMillis()).as("the request at 0 s leaves at 60 s").isEqualTo(10_000);
        clock.advance(Duration.ofSeconds(10));
        assertThat(join(c.reserve(reservation(rpm))).admitted()).as("at 60 s").isTrue();
        assertThat(join(c.reserve(reservation(rpm))).admitted()).as("20 s, 40 s, 60 s are in").isFalse();

        clock.advance(Duration.ofMinutes(10)); // every slot's second is long gone
        for (int i = 0; i < 3; i++) {
            assertThat(join(c.reserve(reservation(rpm))).admitted()).isTrue();
        }
        Admission again = join(c.reserve(reservation(rpm)));
        assertThat(again.admitted()).isFalse();
        assertThat(again.retryAfterMillis()).isEqualTo(60_000);
        assertThat(again.resetMillis()[0]).isEqualTo(60_000);
    }

    @Test
    void settlingASecondThatLeftTheLocalWindowLeavesTheSecondInItsPlaceAlone() {
        TestSupport.MutableClock clock = new TestSupport.MutableClock();
        Counters c = new LocalCounters(clock);
        Counter tpm = new Counter("tpm", Counter.Kind.TOKENS, 100, 50, 60_000, 600_000);
        Reservation early = reservation(tpm);
        Admission a = join(c.reserve(early));
        clock.advance(Duration.ofSeconds(60)); // a minute on: the same place in the window, a new second
        Counter sixty = new Counter("tpm", Counter.Kind.TOKENS, 100, 60, 60_000, 600_000);
        assertThat(join(c.reserve(reservation(sixty))).admitted()).isTrue();
        join(c.settle(early, a.takenAtMillis(), new long[] {0})); // would take 50 off the new second
        Counter more = new Counter("tpm", Counter.Kind.TOKENS, 100, 45, 60_000, 600_000);
        assertThat(join(c.reserve(reservation(more))).admitted()).as("60 + 45 > 100").isFalse();
    }

    @Test
    void aRedisWindowForgetsASecondThatLeftIt() {
        Counters c = counters("redis");
        Counter rpm = new Counter(name("a"), Counter.Kind.REQUESTS, 2, 1, 60_000, 61_000);
        join(c.reserve(reservation(rpm)));
        join(c.reserve(reservation(rpm)));
        assertThat(join(c.reserve(reservation(rpm))).admitted()).isFalse();
        // Move the window's seconds 61 s into the past, as if a minute had gone by.
        String hash = rpm.name() + ":h";
        Response all = join(redis.send(Request.cmd(Command.HGETALL).arg(hash)));
        long oldest = Long.MAX_VALUE;
        for (String field : all.getKeys()) {
            if (!field.startsWith("_")) {
                long old = Long.parseLong(field) - 61;
                oldest = Math.min(oldest, old);
                join(redis.send(Request.cmd(Command.HDEL).arg(hash).arg(field)));
                join(redis.send(Request.cmd(Command.HSET).arg(hash).arg(Long.toString(old))
                        .arg(all.get(field).toString())));
            }
        }
        join(redis.send(Request.cmd(Command.HSET).arg(hash).arg("_old").arg(Long.toString(oldest))));
        Admission a = join(c.reserve(reservation(rpm)));
        assertThat(a.admitted()).isTrue();
        assertThat(a.remaining()[0]).isEqualTo(1);
        assertThat(join(redis.send(Request.cmd(Command.HLEN).arg(hash))).toInteger())
                .as("the old second is gone: _sum, _old and the current second remain").isEqualTo(3);
    }
}
