package dev.levee.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.Simulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries only for retryable failures, with bounded backoff; deadlines that never let a request hang. */
class RetryAndDeadlineTest {
    private Simulator sim;
    private Levee levee;

    @BeforeEach
    void start() {
        sim = TestSupport.simulator();
    }

    @AfterEach
    void stop() {
        if (levee != null) {
            levee.close();
        }
        sim.close();
    }

    private void levee(String resilience) {
        levee = TestSupport.levee(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                      - target: sim/backup
                resilience:
                %s
                """.formatted(resilience.indent(2))), Clock.systemUTC());
    }

    private static long gapMillis(List<ReceivedRequest> calls, int i) {
        return Duration.between(calls.get(i - 1).receivedAt(), calls.get(i).receivedAt()).toMillis();
    }

    @Test
    void retryableFailureIsRetriedWithExponentialBackoffThenFallsBack() {
        levee("""
                circuit_breaker: { consecutive_failures: 100, window: 100, minimum_calls: 100 }
                retry: { max_attempts: 3, base_delay: 200ms, max_delay: 5s }
                """);
        sim.faults().set("primary", "status=503");

        ChatResponse r = levee.process("retry me");

        assertThat(r.modelUsed()).isEqualTo("backup");
        List<ReceivedRequest> calls = sim.journal().forModel("primary");
        assertThat(calls).hasSize(3);
        // jitter keeps each delay within [50 %, 100 %] of base x 2^(n-1)
        assertThat(gapMillis(calls, 1)).isBetween(100L - 5, 200L + 150);
        assertThat(gapMillis(calls, 2)).isBetween(200L - 5, 400L + 150);
        assertThat(r.attempts()).filteredOn(a -> a.tier() == 0).extracting(Attempt::retryDelayMs)
                .satisfies(d -> {
                    assertThat(d.get(0)).isZero();
                    assertThat(d.get(1)).isBetween(100L, 200L);
                    assertThat(d.get(2)).isBetween(200L, 400L);
                });
    }

    @Test
    void nonRetryableFailureGoesStraightToTheNextTier() {
        levee("""
                retry: { max_attempts: 3, base_delay: 10ms }
                """);
        sim.faults().set("primary", "not_found");

        ChatResponse r = levee.process("model missing");

        assertThat(r.modelUsed()).isEqualTo("backup");
        assertThat(sim.journal().count("primary")).isEqualTo(1);
    }

    @Test
    void contextLengthErrorIsNotResentToTheSameTarget() {
        levee("""
                retry: { max_attempts: 3, base_delay: 10ms }
                """);
        sim.faults().set("primary", "context_length");
        assertThat(levee.process("long prompt").modelUsed()).isEqualTo("backup");
        assertThat(sim.journal().count("primary")).isEqualTo(1);
    }

    @Test
    void retryAfterIsHonoured() {
        levee("""
                circuit_breaker: { consecutive_failures: 100, window: 100, minimum_calls: 100 }
                retry: { max_attempts: 2, base_delay: 10ms, max_delay: 20ms }
                """);
        sim.faults().set("primary", "retry_after=1,times=1");

        ChatResponse r = levee.process("rate limited once");

        assertThat(r.modelUsed()).isEqualTo("primary");
        List<ReceivedRequest> calls = sim.journal().forModel("primary");
        assertThat(calls).hasSize(2);
        assertThat(gapMillis(calls, 1)).isGreaterThanOrEqualTo(950);
    }

    @Test
    void retryAfterLongerThanTheCapMovesOnInsteadOfWaiting() {
        levee("""
                retry: { max_attempts: 3, base_delay: 10ms, max_retry_after: 2s }
                """);
        sim.faults().set("primary", "retry_after=60");
        long start = System.nanoTime();
        ChatResponse r = levee.process("come back in a minute");
        assertThat(r.modelUsed()).isEqualTo("backup");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(sim.journal().count("primary")).isEqualTo(1);
    }

    @Test
    void aDeadTargetIsCalledAtMostUntilItsBreakerOpens() {
        levee("""
                circuit_breaker: { consecutive_failures: 5, open_for: 60s }
                retry: { max_attempts: 3, base_delay: 1ms, max_delay: 2ms }
                """);
        sim.faults().set("primary", "status=502");

        for (int i = 0; i < 30; i++) {
            assertThat(levee.process("request " + i).modelUsed()).isEqualTo("backup");
        }

        // every attempt counts: 5 failures open the breaker, whatever the retries
        assertThat(sim.journal().count("primary")).isEqualTo(5);
    }

    @Test
    void aHungPrimaryIsAbandonedAndTheNextTierAnswersWithinTheDeadline() {
        levee("""
                timeout: { base: 2s, per_token: 0ms, max: 2s, tier_share: 0.5 }
                retry: { max_attempts: 3, base_delay: 10ms }
                """);
        sim.faults().set("primary", "hang");
        long start = System.nanoTime();

        ChatResponse r = levee.process("anyone there?");

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.modelUsed()).isEqualTo("backup");
        assertThat(took).isLessThan(Duration.ofMillis(1900));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)); // the primary had its half
        assertThat(r.attempts().get(0).error()).contains("within");
    }

    @Test
    void aTargetThatTimedOutIsTriedAgainOnlyWhenItIsTheLastTier() throws Exception {
        levee("""
                timeout: { first_token: 300ms }
                retry: { max_attempts: 3, base_delay: 10ms }
                """);
        sim.faults().set("primary", "hang");
        sim.faults().set("backup", "hang,times=1");
        StreamingTest.Collector c = new StreamingTest.Collector();

        levee.stream(dev.levee.ChatRequest.builder().user("anyone there?").build(), c);

        ChatResponse r = c.await();
        assertThat(r.modelUsed()).isEqualTo("backup");
        assertThat(sim.journal().count("primary")).as("not waited for twice while the backup could answer")
                .isEqualTo(1);
        assertThat(sim.journal().count("backup")).as("the last tier: tried again").isEqualTo(2);
    }

    @Test
    void whenEveryTierHangsTheRequestStillEndsByItsDeadline() {
        levee("""
                timeout: { base: 1500ms, per_token: 0ms, max: 2s }
                """);
        sim.faults().set("*", "hang");
        long start = System.nanoTime();

        ChatResponse r = levee.process("hello?");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(r.modelUsed()).isEqualTo(ChatResponse.RULE_BASED);
    }

    @Test
    void deadlineGrowsWithMaxTokens() {
        var timeout = dev.levee.config.ResilienceConfig.DEFAULTS.timeout();
        // no max_tokens: the default output budget of 1,024 tokens, not the bare base
        assertThat(timeout.deadlineFor(null)).isEqualTo(Duration.ofMillis(112_400));
        assertThat(timeout.deadlineFor(100)).isEqualTo(Duration.ofSeconds(20));
        assertThat(timeout.deadlineFor(100_000)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void aHealthySlowAnswerWithoutMaxTokensIsNotAbandonedAtTheBareBase() {
        levee("""
                timeout: { base: 1s, per_token: 5ms, max: 10s, default_output_tokens: 1024 }
                """);
        sim.faults().set("primary", "ttft=1200"); // healthy, just slower than the 1 s base

        ChatResponse r = levee.process("take your time");

        assertThat(r.modelUsed()).as(r.attempts().toString()).isEqualTo("primary"); // 1 s + 1,024 x 5 ms, not 1 s
        assertThat(sim.journal().count("backup")).isZero();
    }

    @Test
    void cancellingAnAsyncCallResetsTheUpstreamRequest() throws Exception {
        levee("""
                timeout: { base: 30s }
                """);
        sim.faults().set("primary", "hang");
        var future = levee.chat(ChatRequest.of("never mind"));
        ReceivedRequest hung = sim.journal().await(rr -> rr.model().equals("primary"), Duration.ofSeconds(5));
        assertThat(hung).isNotNull();

        future.cancel(true);

        assertThat(sim.journal().await(rr -> rr.model().equals("primary")
                && rr.outcome() == ReceivedRequest.Outcome.CANCELLED, Duration.ofSeconds(5))).isNotNull();
        assertThat(levee.breakers()).allSatisfy(b -> assertThat(b.failedCalls()).isZero());
    }
}
