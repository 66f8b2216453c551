package dev.levee.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.Call;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.LimitStatus;
import dev.levee.TestSupport;
import dev.levee.TestSupport.MutableClock;
import dev.levee.simulator.Simulator;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.LiveStream;
import dev.levee.spi.Reply;
import dev.levee.spi.UsageRow;
import dev.levee.spi.VirtualKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits and budgets in one process, through the facade, on an injected clock: rolling-minute rates,
 * reserve then reconcile, requests in flight released however a request ends, budgets per UTC period,
 * team limits shared by the team's keys, and requests that could never fit.
 */
class LimitsTest {
    private static final String MASTER = "master-key-for-tests-0123456789";
    private static Simulator sim;
    private final Map<String, VirtualKey> store = new ConcurrentHashMap<>();
    private final List<UsageRow> rows = new CopyOnWriteArrayList<>();
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
        if (levee != null) {
            levee.close();
        }
    }

    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private Levee levee(String limits) {
        levee = Levee.builder().logRequests(false).clock(clock).config(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                pricing:
                  primary: { input: 1000, output: 1000 }
                auth: { master_key: %s }
                %s
                """.formatted(MASTER, limits)))
                .meterRegistry(registry).keyStore(store::get).usageSink(rows::add).build();
        return levee;
    }

    private String issue(String team, KeyLimits limits) {
        String secret = ApiKeys.generate();
        store.put(ApiKeys.hash(secret), new VirtualKey("key_" + store.size(), ApiKeys.visiblePrefix(secret), "n", team,
                null, Set.of(), Instant.now(), null, null, limits));
        return secret;
    }

    private static ChatRequest request(String credential, Integer maxTokens) {
        return ChatRequest.builder().user("hello there").maxTokens(maxTokens)
                .options(CallOptions.builder().credential(credential).build()).build();
    }

    private static LeveeException refusal(Levee levee, ChatRequest request) {
        Call call = levee.execute(request, false);
        Throwable e = call.reply().toCompletionStage().toCompletableFuture()
                .handle((r, error) -> error).join();
        assertThat(e).as("refused").isInstanceOf(LeveeException.class);
        return (LeveeException) e;
    }

    private static KeyLimits rpm(int rpm) {
        return new KeyLimits(rpm, null, null, null, null, null);
    }

    @Test
    void aKeyGetsItsRequestsPerMinuteInEveryRollingMinuteAndIsToldWhenToRetry() {
        String key = issue(null, rpm(3));
        levee("");
        clock.advance(Duration.ofSeconds(10));
        levee.complete(request(key, null));
        clock.advance(Duration.ofSeconds(20));
        levee.complete(request(key, null));
        levee.complete(request(key, null));
        Call refused = levee.execute(request(key, null), false);
        LeveeException e = (LeveeException) refused.reply().toCompletionStage().toCompletableFuture()
                .handle((r, error) -> error).join();
        assertThat(e.kind()).isEqualTo(LeveeException.Kind.RATE_LIMITED);
        assertThat(e.getMessage()).contains("3 requests per minute").contains("retry in 40 s");
        assertThat(refused.limits().requests()).isEqualTo(new LimitStatus.Window(3, 0, 60_000));
        assertThat(refused.limits().retryAfterMillis()).isEqualTo(40_000);

        clock.advance(Duration.ofSeconds(40)); // the first request leaves the window; the other two stay
        Call admitted = levee.execute(request(key, null), false);
        admitted.reply().toCompletionStage().toCompletableFuture().join();
        assertThat(admitted.limits().requests().remaining()).isZero();
        assertThat(refusal(levee, request(key, null)).kind()).isEqualTo(LeveeException.Kind.RATE_LIMITED);
        assertThat(rows).filteredOn(r -> "rate_limited".equals(r.status())).hasSize(2)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo("rate_limit_exceeded"));
    }

    @Test
    void keyDefaultsFromConfigApplyWhereTheKeySetsNothingAndTheMasterKeyIsNeverLimited() {
        String plain = issue(null, KeyLimits.NONE);
        String own = issue(null, rpm(2));
        levee("limits: { keys: { rpm: 1 } }");
        levee.complete(request(plain, null));
        assertThat(refusal(levee, request(plain, null)).kind()).isEqualTo(LeveeException.Kind.RATE_LIMITED);
        levee.complete(request(own, null));
        levee.complete(request(own, null));
        for (int i = 0; i < 5; i++) {
            levee.complete(request(MASTER, null));
        }
    }

    @Test
    void tokensAreReservedAtTheEstimateThenReconciledToTheReportedUsage() {
        String key = issue(null, new KeyLimits(null, 500, null, null, null, null));
        levee("");
        // Each request reserves its prompt plus max_tokens (300), far above the ~90 the simulator uses:
        // without reconciling, the second request would not fit; with it, the third still does.
        long used = 0;
        for (int i = 0; i < 3; i++) {
            ChatResponse r = levee.complete(request(key, 300));
            assertThat(r.usage().totalTokens()).isLessThan(150);
            used += r.usage().totalTokens();
        }
        Call refused = levee.execute(request(key, 300), false);
        assertThat(refused.reply().toCompletionStage().toCompletableFuture().handle((r, e) -> e).join())
                .hasMessageContaining("500 tokens per minute");
        assertThat(refused.limits().tokens().remaining()).as("what the three used is counted").isEqualTo(500 - used);
    }

    @Test
    void aRequestThatCouldNeverFitItsTokenLimitIsA400NamingMaxTokens() {
        String key = issue(null, new KeyLimits(null, 100, null, null, null, null));
        levee("");
        LeveeException e = refusal(levee, request(key, 500));
        assertThat(e.kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST);
        assertThat(e.param()).isEqualTo("max_tokens");
        assertThat(e.getMessage()).contains("100 tokens per minute");
    }

    @Test
    void aRequestWithoutMaxTokensReservesTheConfiguredCompletionEstimate() {
        String key = issue(null, new KeyLimits(null, 100, null, null, null, null));
        levee("limits: { completion_estimate: 200 }");
        assertThat(refusal(levee, request(key, null)).param()).isEqualTo("max_tokens");
        levee.close();
        levee("limits: { completion_estimate: 50 }").complete(request(key, null));
    }

    @Test
    void aRequestInFlightHoldsItsSlotUntilItsStreamEndsOrIsCancelled() {
        String key = issue(null, new KeyLimits(null, null, 1, null, null, null));
        levee("");
        Call first = levee.execute(request(key, null), true);
        LiveStream stream = ((Reply.Streaming) first.reply().toCompletionStage().toCompletableFuture().join()).stream();
        LeveeException busy = refusal(levee, request(key, null));
        assertThat(busy.kind()).isEqualTo(LeveeException.Kind.RATE_LIMITED);
        assertThat(busy.getMessage()).contains("1 at once");
        stream.cancel();
        levee.complete(request(key, null)); // the slot came back with the cancel
        levee.complete(request(key, null)); // and with the end of a complete answer
    }

    @Test
    void aSpentBudgetIsA402UntilItsPeriodEndsOnTheUtcCalendar() {
        // primary is priced at $1000 per million tokens: ~$0.03 a request at max_tokens 20 reserved,
        // ~$0.02-0.04 spent. A $0.10 daily budget admits a few, then refuses with the day's end.
        String key = issue(null, new KeyLimits(null, null, null, new BigDecimal("0.10"), "day", null));
        levee("");
        int admitted = 0;
        LeveeException refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            try {
                levee.complete(request(key, 20));
                admitted++;
            } catch (LeveeException e) {
                refused = e;
            }
        }
        assertThat(admitted).isBetween(1, 10);
        assertThat(refused.kind()).isEqualTo(LeveeException.Kind.BUDGET_EXCEEDED);
        assertThat(refused.getMessage()).contains("$0.1").contains("2026-01-02T00:00:00Z");
        long spent = rows.stream().filter(r -> "ok".equals(r.status())).mapToLong(UsageRow::costNanos).sum();
        assertThat(spent).isLessThanOrEqualTo(100_000_000L).isPositive();

        clock.advance(Duration.ofDays(1)); // a new day, a new budget
        levee.complete(request(key, 20));
    }

    @Test
    void aTeamsBudgetUseIsAGaugeForTheNearlySpentAlert() {
        String key = issue("ml", KeyLimits.NONE);
        levee("limits: { teams: { ml: { budget_usd: \"0.10\", budget_period: day }, web: { rpm: 5 } } }");
        java.util.function.DoubleSupplier used = () -> registry.get("levee.budget.used.ratio").tag("team", "ml")
                .tag("period", "day").gauge().value();
        assertThat(used.getAsDouble()).as("unknown before the first request").isNaN();
        assertThat(registry.find("levee.budget.used.ratio").tag("team", "web").gauge()).as("no budget, no gauge")
                .isNull();
        levee.complete(request(key, 20));
        levee.complete(request(key, 20));
        double afterTwo = used.getAsDouble();
        long spent = rows.stream().mapToLong(UsageRow::costNanos).sum();
        assertThat(afterTwo).as("what the first cost plus the second's reservation, of $0.10")
                .isGreaterThan(spent / 2 / 100_000_000.0).isLessThan(1.0);
        LeveeException refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            try {
                levee.complete(request(key, 20));
            } catch (LeveeException e) {
                refused = e;
            }
        }
        assertThat(refused.kind()).isEqualTo(LeveeException.Kind.BUDGET_EXCEEDED);
        assertThat(used.getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void aTeamsLimitIsSharedByAllItsKeys() {
        String a = issue("ml", KeyLimits.NONE);
        String b = issue("ml", KeyLimits.NONE);
        String other = issue("web", KeyLimits.NONE);
        levee("limits: { teams: { ml: { rpm: 2 } } }");
        levee.complete(request(a, null));
        levee.complete(request(b, null));
        LeveeException e = refusal(levee, request(a, null));
        assertThat(e.kind()).isEqualTo(LeveeException.Kind.RATE_LIMITED);
        assertThat(e.getMessage()).contains("team 'ml'");
        levee.complete(request(other, null));
    }

    @Test
    void aRouteCanLimitEachKeyAndEachTeamOnItBesidesTheirLimitsOverall() {
        levee = Levee.builder().logRequests(false).clock(clock).config(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                  premium:
                    tiers:
                      - target: sim/primary
                    limits:
                      keys: { rpm: 2 }
                      teams: { rpm: 3 }
                auth: { master_key: %s }
                """.formatted(MASTER))).keyStore(store::get).build();
        String a = issue("ml", KeyLimits.NONE);
        String b = issue("ml", KeyLimits.NONE);
        java.util.function.BiFunction<String, String, ChatRequest> on = (key, route) -> ChatRequest.builder()
                .route(route).user("hello").options(CallOptions.builder().credential(key).build()).build();
        levee.complete(on.apply(a, "premium"));
        levee.complete(on.apply(a, "premium"));
        assertThat(refusal(levee, on.apply(a, "premium")).getMessage())
                .contains("this API key on route 'premium' may send 2 requests per minute");
        levee.complete(on.apply(b, "premium")); // the team's third on the route
        assertThat(refusal(levee, on.apply(b, "premium")).getMessage())
                .contains("team 'ml' on route 'premium' may send 3 requests per minute");
        for (int i = 0; i < 5; i++) {
            levee.complete(on.apply(a, "default")); // other routes are not limited by it
        }
    }

    @Test
    void aRefusedRequestTakesNothingFromTheOtherCounters() {
        String key = issue("ml", new KeyLimits(5, null, null, null, null, null));
        levee("limits: { teams: { ml: { rpm: 1 } } }");
        levee.complete(request(key, null));
        for (int i = 0; i < 3; i++) {
            assertThat(refusal(levee, request(key, null)).getMessage()).contains("team 'ml'");
        }
        clock.advance(Duration.ofSeconds(61));
        Call call = levee.execute(request(key, null), false);
        call.reply().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(call.limits().requests().limit()).as("the tightest: the team's").isEqualTo(1);
    }
}
