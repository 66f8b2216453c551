package dev.levee.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.BreakerTransition;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.RaisedAlert;
import dev.levee.TestSupport;
import dev.levee.TestSupport.MutableClock;
import dev.levee.TrafficSeries;
import dev.levee.TrafficSeries.Point;
import dev.levee.TrafficSeries.Scope;
import dev.levee.simulator.Simulator;
import dev.levee.spi.TelemetryRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the console reads, through the facade on an injected clock: traffic per five seconds (all,
 * per route, per target), the last requests with their attempts, breaker transitions and alerts.
 */
class LiveViewsTest {
    private static Simulator sim;
    private final MutableClock clock = new MutableClock();
    private Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void close() {
        sim.faults().clearAll();
        if (levee != null) {
            levee.close();
        }
    }

    private Levee levee() {
        return Levee.builder().logRequests(false).clock(clock).config(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/backup
                    rule_based_fallback: false
                pricing:
                  primary: { input: 1, output: 2 }
                  backup: { input: 1, output: 2 }
                resilience:
                  retry: { max_attempts: 1 }
                  circuit_breaker: { consecutive_failures: 2, window: 100, minimum_calls: 100 }
                """)).build();
    }

    private static TrafficSeries.Series series(TrafficSeries t, Scope scope, String name) {
        return t.series().stream().filter(s -> s.scope() == scope && s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + scope + " " + name + " in " + t.series()));
    }

    private static Point last(TrafficSeries.Series s) {
        return s.points().get(s.points().size() - 1);
    }

    @Test
    void trafficIsCountedPerBucketForAllRoutesAndTargets() {
        levee = levee();
        for (int i = 0; i < 3; i++) {
            levee.complete(ChatRequest.of("fine " + i));
        }
        sim.faults().set("primary", "status=500");
        for (int i = 0; i < 3; i++) {
            assertThat(levee.complete(ChatRequest.of("rescued " + i)).fallbackUsed()).isTrue();
        }

        TrafficSeries t = levee.traffic();
        assertThat(t.bucket()).isEqualTo(Duration.ofSeconds(5));
        Point all = last(series(t, Scope.ALL, "all"));
        assertThat(all.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(all.requests()).isEqualTo(6);
        assertThat(all.errors()).isZero();
        assertThat(all.fallbacks()).isEqualTo(3);
        assertThat(all.promptTokens()).isPositive();
        assertThat(all.completionTokens()).isPositive();
        assertThat(all.costUsd()).isGreaterThan(BigDecimal.ZERO);
        assertThat(all.p50Ms()).isNotNull().isPositive();
        assertThat(all.p99Ms()).isGreaterThanOrEqualTo(all.p50Ms());
        assertThat(last(series(t, Scope.ROUTE, "default")).requests()).isEqualTo(6);
        // two failed calls opened the breaker; the third rescued request never called the primary
        Point primary = last(series(t, Scope.TARGET, "sim/primary"));
        assertThat(primary.requests()).isEqualTo(5);
        assertThat(primary.errors()).isEqualTo(2);
        assertThat(last(series(t, Scope.TARGET, "sim/backup")).requests()).isEqualTo(3);
        assertThat(series(t, Scope.ALL, "all").points()).hasSize(180)
                .allSatisfy(p -> assertThat(p.start().toEpochMilli() % 5000).isZero());

        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> levee.complete(ChatRequest.builder().route("nope").user("x").build()));
        t = levee.traffic();
        Point refused = last(series(t, Scope.ALL, "all"));
        assertThat(refused.requests()).isEqualTo(1);
        assertThat(refused.errors()).isEqualTo(1);
        assertThat(t.series()).noneMatch(s -> s.name().equals("nope"));
        List<Point> points = series(t, Scope.ALL, "all").points();
        assertThat(points.get(points.size() - 2).requests()).as("the bucket before").isEqualTo(6);

        clock.advance(Duration.ofMinutes(16));
        assertThat(levee.traffic().series()).singleElement()
                .satisfies(s -> assertThat(s.points()).allSatisfy(p -> {
                    assertThat(p.requests()).isZero();
                    assertThat(p.p50Ms()).isNull();
                }));
    }

    @Test
    void theLastRequestsBreakerTransitionsAndAlertsAreKeptNewestFirst() {
        levee = levee();
        ChatResponse fine = levee.complete(ChatRequest.of("fine"));
        sim.faults().set("primary", "status=500");
        ChatResponse rescued = null;
        for (int i = 0; i < 2; i++) {
            rescued = levee.complete(ChatRequest.of("rescued " + i));
        }

        List<TelemetryRecord> recent = levee.recentRequests(10);
        assertThat(recent).extracting(TelemetryRecord::requestId)
                .containsExactly(rescued.requestId(), recent.get(1).requestId(), fine.requestId());
        assertThat(levee.recentRequests(1)).hasSize(1);
        TelemetryRecord drill = levee.recentRequest(rescued.requestId()).orElseThrow();
        assertThat(drill.attempts()).extracting(TelemetryRecord.AttemptRecord::target, TelemetryRecord.AttemptRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sim/primary", "failed"),
                        org.assertj.core.groups.Tuple.tuple("sim/backup", "succeeded"));
        assertThat(drill.promptHash()).isNotEqualTo("rescued 1");
        assertThat(levee.recentRequest("no-such-id")).isEmpty();
        assertThatThrownBy(() -> levee.recentRequests(0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(levee.breakerTransitions()).first().satisfies(b -> {
            assertThat(b).extracting(BreakerTransition::target, BreakerTransition::from, BreakerTransition::to)
                    .containsExactly("sim/primary", "CLOSED", "OPEN");
            assertThat(b.at()).isEqualTo(clock.instant());
        });
        assertThat(levee.recentAlerts()).extracting(RaisedAlert::kind, RaisedAlert::key)
                .contains(org.assertj.core.groups.Tuple.tuple("breaker_open", "sim/primary"));
    }

    @Test
    void theRequestListIsBounded() {
        levee = levee();
        sim.faults().set("primary", "ttft=0,token_ms=0");
        for (int i = 0; i < 510; i++) {
            levee.complete(ChatRequest.of("n" + i));
        }
        List<TelemetryRecord> all = levee.recentRequests(1000);
        assertThat(all).hasSize(500);
        assertThat(levee.recentRequest(all.get(499).requestId())).isPresent();
    }
}
