package dev.levee.bench;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Ticker;
import dev.levee.Usage;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.internal.access.Authentication;
import dev.levee.internal.chain.Events;
import dev.levee.internal.chain.RequestState;
import dev.levee.internal.limits.Limits;
import dev.levee.spi.Interceptor;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.KeySpec;
import dev.levee.spi.Principal;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import dev.levee.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * The links a team's gateway adds to every request, each on its own, as the chain calls them: the
 * key check ({@link Authentication}: a virtual key, answered from the key cache as on every request
 * after a key's first) and the limit check ({@link Limits}: a key with a rate, a token rate, a
 * concurrency cap and a daily budget, and its team's budget — reserved on the way in, settled on the
 * way back, counted in process). The rest of the chain answers at once, so what is measured is the
 * link. A change that makes one of them dearer shows here before a full bench run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class TeamLinks {
    private static final String MASTER = "bench-master-key-0123456789abcdef";

    private Vertx vertx;
    private Path data;
    private Store store;
    private Authentication authentication;
    private Limits limits;
    private ChatRequest withKey;
    private ChatRequest plain;
    private Principal principal;
    private LeveeConfig config;
    private Future<Reply> answered;

    @Setup(Level.Trial)
    public void start() throws Exception {
        vertx = Vertx.vertx();
        config = ConfigLoader.parse("""
                auth: { master_key: %s }
                providers:
                  mock: { type: openai, base_url: "http://127.0.0.1:9/v1" }
                limits:
                  teams:
                    bench: { budget_usd: 1000000, budget_period: month }
                routes:
                  default:
                    tiers:
                      - target: mock/gpt-4o-mini
                """.formatted(MASTER), "jmh", name -> null);
        data = Files.createTempDirectory("levee-jmh-links-");
        store = Store.open(config.storage().withDataDir(data));
        KeyLimits keyLimits = new KeyLimits(1_000_000_000, 2_000_000_000, 1_000_000, new BigDecimal(1_000_000),
                "day", "standard");
        String secret = store.keys().create(new KeySpec("jmh", "bench", null, null, null, keyLimits), "jmh").secret();
        Events events = new Events();
        authentication = new Authentication(config.auth(), store.keys(), Runnable::run, Ticker.SYSTEM, events);
        limits = Limits.create(config, vertx, Clock.systemUTC(), events, new SimpleMeterRegistry());
        plain = ChatRequest.builder().route("default").user("How does a levee hold back a flood?").maxTokens(200)
                .build();
        withKey = plain.withOptions(plain.options().toBuilder().credential(secret).build());
        principal = new Principal("jmh", "jmh", "bench", null, Set.of(), keyLimits, false);
        ChatResponse response = new ChatResponse("It holds.", "gpt-4o-mini", "mock", "default",
                new Usage(12, 3, 15, false), FinishReason.STOP, 1.0, 0, "r", Instant.now(), List.of());
        answered = Future.succeededFuture(new Reply.Complete(response));
        authentication.intercept(chain(new RequestState("r", withKey, false, Clock.systemUTC(), Ticker.SYSTEM, null),
                withKey)); // the key's first use: the store is asked, then the cache answers
        check("key check", keyCheck());
        check("limit check", limitCheck());
    }

    private void check(String link, Future<Reply> outcome) {
        if (!outcome.isComplete() || outcome.failed() || !(outcome.result() instanceof Reply.Complete)) {
            throw new IllegalStateException("the " + link + " did not pass the request at once: "
                    + (outcome.failed() ? outcome.cause() : outcome.result()));
        }
    }

    /** The rest of the chain: answers at once. */
    private Interceptor.Chain chain(RequestContext context, ChatRequest request) {
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

    @Benchmark
    public Future<Reply> keyCheck() {
        RequestState ctx = new RequestState("r", withKey, false, Clock.systemUTC(), Ticker.SYSTEM, null);
        return authentication.intercept(chain(ctx, withKey));
    }

    @Benchmark
    public Future<Reply> limitCheck() {
        RequestState ctx = new RequestState("r", plain, false, Clock.systemUTC(), Ticker.SYSTEM, null);
        ctx.put(RequestContext.PRINCIPAL, principal);
        ctx.put(RequestContext.ROUTE, config.route("default"));
        return limits.intercept(chain(ctx, plain));
    }

    /** The baseline both include: a request's context and the chain object around it. */
    @Benchmark
    public Future<Reply> context() {
        RequestState ctx = new RequestState("r", plain, false, Clock.systemUTC(), Ticker.SYSTEM, null);
        return chain(ctx, plain).proceed(plain);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        limits.close();
        store.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        try (var paths = Files.walk(data)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
