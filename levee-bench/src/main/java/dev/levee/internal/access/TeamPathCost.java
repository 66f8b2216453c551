package dev.levee.internal.access;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Ticker;
import dev.levee.Usage;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.internal.chain.Events;
import dev.levee.internal.chain.RequestState;
import dev.levee.internal.limits.Limits;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.Interceptor;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.Principal;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import dev.levee.spi.UsageRow;
import dev.levee.spi.VirtualKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a team's gateway adds to each request on its event loop, piece by piece: the key check on a
 * cache hit (a SHA-256 of the key and a cache lookup — what the authentication link does for a
 * known key), the limit check ({@link Limits} as the chain calls it, with the rest of the chain
 * answering at once: a key with a rate, a token rate, a concurrency cap and a daily budget, and its
 * team's budget, reserved on the way in and settled on the way back, counted in process; {@code
 * context} is the request context and chain object it includes), and building the usage row. What
 * the ledger does with the row is {@code dev.levee.store.LedgerWrite}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TeamPathCost {
    private KeyCache cache;
    private String key;
    private Vertx vertx;
    private LeveeConfig config;
    private Limits limits;
    private Principal principal;
    private ChatRequest request;
    private Future<Reply> answered;

    @Setup(Level.Trial)
    public void start() throws Exception {
        key = ApiKeys.generate();
        VirtualKey known = new VirtualKey("key_bench", ApiKeys.visiblePrefix(key), "bench", "team", "user", Set.of(),
                Instant.now(), null, null, KeyLimits.NONE);
        String hash = ApiKeys.hash(key);
        cache = new KeyCache(h -> h.equals(hash) ? known : null, Runnable::run, Ticker.SYSTEM, Duration.ofHours(1),
                Duration.ofHours(2), 100_000);
        cache.find(hash).join();

        vertx = Vertx.vertx();
        config = ConfigLoader.parse("""
                providers:
                  mock: { type: openai, base_url: "http://127.0.0.1:9/v1" }
                limits:
                  teams:
                    team: { budget_usd: 1000000, budget_period: month }
                routes:
                  default:
                    tiers:
                      - target: mock/gpt-4o-mini
                """, "jmh", name -> null);
        limits = Limits.create(config, vertx, Clock.systemUTC(), new Events(), new SimpleMeterRegistry());
        principal = new Principal("key_bench", "bench", "team", null, Set.of(), new KeyLimits(1_000_000_000,
                2_000_000_000, 1_000_000, new BigDecimal(1_000_000), "day", "standard"), false);
        request = ChatRequest.builder().route("default").user("How does a levee hold back a flood?").maxTokens(200)
                .build();
        answered = Future.succeededFuture(new Reply.Complete(new ChatResponse("It holds.", "gpt-4o-mini", "mock",
                "default", new Usage(12, 3, 15, false), FinishReason.STOP, 1.0, 0, "r", Instant.now(), List.of())));
        Future<Reply> checked = limitCheck();
        if (!checked.succeeded() || !(checked.result() instanceof Reply.Complete)) {
            throw new IllegalStateException("the limit check did not pass the request at once: "
                    + (checked.failed() ? checked.cause() : checked.result()));
        }
    }

    @Benchmark
    public Optional<VirtualKey> keyCheckOnCacheHit() {
        CompletableFuture<Optional<VirtualKey>> found = cache.find(ApiKeys.hash(key));
        return found.getNow(null);
    }

    @Benchmark
    public Future<Reply> limitCheck() {
        RequestState ctx = new RequestState("r", request, false, Clock.systemUTC(), Ticker.SYSTEM, null);
        ctx.put(RequestContext.PRINCIPAL, principal);
        ctx.put(RequestContext.ROUTE, config.route("default"));
        return limits.intercept(chain(ctx));
    }

    /** What {@link #limitCheck} includes besides the link: the request's context and the chain around it. */
    @Benchmark
    public Future<Reply> context() {
        return chain(new RequestState("r", request, false, Clock.systemUTC(), Ticker.SYSTEM, null)).proceed(request);
    }

    @Benchmark
    public UsageRow usageRowBuilt() {
        return new UsageRow("req-0", Instant.now(), "key_bench", "team", "user", "default", "mock", "gpt-4o-mini",
                0, "ok", null, 12, 34, 0, 56_000L, 1.25, null, false, Map.of());
    }

    /** The rest of the chain: answers at once. */
    private Interceptor.Chain chain(RequestContext context) {
        return new Interceptor.Chain() {
            @Override
            public RequestContext context() {
                return context;
            }

            @Override
            public ChatRequest request() {
                return request;
            }

            @Override
            public Future<Reply> proceed(ChatRequest onward) {
                return answered;
            }
        };
    }

    @TearDown(Level.Trial)
    public void stop() {
        limits.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
