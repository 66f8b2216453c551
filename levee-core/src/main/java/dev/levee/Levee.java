package dev.levee;

import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.internal.engine.Assembly;
import dev.levee.spi.AnomalyDetector;
import dev.levee.spi.EmbeddedProviders;
import dev.levee.spi.Interceptor;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import dev.levee.spi.LiveStream;
import dev.levee.spi.Reply;
import dev.levee.spi.KeyStore;
import dev.levee.spi.TelemetryRecord;
import dev.levee.spi.TelemetrySink;
import dev.levee.spi.UsageSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * levee as a library: resilient LLM calls with tiered fallback, circuit breakers, retries and
 * deadlines, over one engine that the HTTP gateway shares.
 *
 * <pre>{@code
 * try (Levee levee = Levee.fromConfig(Path.of("levee.yaml"))) {
 *     ChatResponse r = levee.process("Explain circuit breakers");
 *     System.out.println(r.text() + " via " + r.modelUsed());
 * }
 * }</pre>
 */
public final class Levee implements AutoCloseable {
    /** How long {@link #close()} lets calls in flight finish before it fails them. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(2);

    private final Assembly assembly;
    /** Calls made through this facade and not yet answered, each with the way to end it. */
    private final Map<CompletableFuture<ChatResponse>, Runnable> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private Levee(Assembly assembly) {
        this.assembly = assembly;
    }

    /**
     * levee with the embedded default configuration, whose tiers run on the in-process simulator:
     * needs the simulator on the classpath (levee-cli brings it).
     */
    public static Levee create() {
        return builder().build();
    }

    public static Levee fromConfig(Path file) {
        return builder().configFile(file).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Blocking: one prompt through the default route. Not allowed on an event-loop thread. */
    public ChatResponse process(String prompt) {
        return process(prompt, CallOptions.DEFAULTS);
    }

    /**
     * Blocking: one prompt through the default route, with options (request id, metadata, fault
     * injection). Throws {@link LeveeException} when no answer can be given.
     */
    public ChatResponse process(String prompt, CallOptions options) {
        return complete(ChatRequest.builder().user(prompt).options(options).build());
    }

    /** Blocking form of {@link #chat(ChatRequest)}. Not allowed on an event-loop thread. */
    public ChatResponse complete(ChatRequest request) {
        refuseEventLoop(); // before anything starts: a refused call must not leave a request running
        return await(chat(request));
    }

    /** Asynchronous; cancelling the future abandons the request and its upstream calls. */
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (closing) {
            return CompletableFuture.failedFuture(closed(request.options().requestId()));
        }
        Call execution = execute(request, false);
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        track(result, () -> {
            if (result.completeExceptionally(closed(execution.requestId()))) {
                execution.cancel();
            }
        });
        execution.reply().onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(((Reply.Complete) ar.result()).response());
            } else {
                result.completeExceptionally(ar.cause());
            }
        });
        result.whenComplete((r, e) -> {
            if (e instanceof CancellationException) {
                execution.cancel();
            }
        });
        return result;
    }

    /** Streams an answer to {@code handler}; failures before the first token fall over invisibly. */
    public ChatStream stream(ChatRequest request, StreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (closing) {
            throw closed(request.options().requestId());
        }
        Call execution = execute(request, true);
        CompletableFuture<ChatResponse> completion = new CompletableFuture<>();
        FacadeStream stream = new FacadeStream(execution, completion);
        track(completion, () -> {
            LeveeException e = closed(execution.requestId());
            if (completion.completeExceptionally(e)) {
                // The handler hears why first: the cancel below fails the request on its event loop,
                // and that CANCELLED must not reach the handler ahead of SHUTTING_DOWN.
                handler.onError(e);
                stream.cancel();
            }
        });
        execution.reply().onComplete(ar -> {
            if (ar.failed()) {
                LeveeException e = (LeveeException) ar.cause();
                if (completion.completeExceptionally(e)) { // not already ended by close()
                    handler.onError(e);
                }
                return;
            }
            LiveStream live = ((Reply.Streaming) ar.result()).stream();
            stream.attach(live);
            handler.onStart(execution.requestId(), live.model(), live.fallbackLevel());
            live.handler(handler::onChunk)
                    .endHandler(r -> {
                        handler.onComplete(r);
                        completion.complete(r);
                    })
                    .exceptionHandler(e -> {
                        if (completion.completeExceptionally(e)) { // not already ended by close()
                            handler.onError(e);
                        }
                    });
            stream.start();
        });
        return stream;
    }

    /**
     * The low-level form for servers on levee's Vert.x (the HTTP gateway): never blocks; the reply
     * completes on an event loop, a stream at its commit point, paused.
     */
    public Call execute(ChatRequest request, boolean stream) {
        Objects.requireNonNull(request, "request");
        return assembly.engine().execute(request, stream);
    }

    /**
     * Counts a request's input tokens without calling a provider: checked, authenticated and
     * routed as {@link #execute} would (a bad key or a route the key may not use fails the same
     * way), then counted by levee with the cl100k tokenizer, chat framing and tools included. The
     * reply's {@code usage().promptTokens()} is the count, marked {@code estimated}: providers whose
     * tokenizers differ (Claude's is not public) will count somewhat differently. Nothing is spent,
     * so nothing is limited, billed or recorded.
     */
    public Call countTokens(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return assembly.counter().execute(request, false);
    }

    /** Request count, latency, tokens, fallback rate and anomalies over the recent window. */
    public RecentPerformance recentPerformance() {
        return assembly.stats().recentPerformance();
    }

    /** The same, per model that answered. */
    public Map<String, RecentPerformance> modelUsage() {
        return assembly.stats().modelUsage();
    }

    /** Calls, errors, latency percentiles, tokens and cost per provider. */
    public Map<String, UpstreamStats> providerStats() {
        return assembly.stats().byProvider();
    }

    /** Calls, errors, latency percentiles, tokens and cost per target (provider/model). */
    public Map<String, UpstreamStats> modelStats() {
        return assembly.stats().byModel();
    }

    public List<BreakerSnapshot> breakers() {
        return assembly.breakers();
    }

    /** Each route against its SLOs (availability, latency): burn rates over 5 minutes and an hour. */
    public List<SloStatus> slos() {
        return assembly.slos().statuses();
    }

    /**
     * The last requests (up to {@code limit}, at most the last 500), newest first, as their telemetry
     * records: attempts, tokens, cost, anomaly score — never a prompt or an answer.
     */
    public List<TelemetryRecord> recentRequests(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        return assembly.live().requests().newestFirst(limit);
    }

    /** One of the last 500 requests by its id, if levee still holds it. */
    public Optional<TelemetryRecord> recentRequest(String requestId) {
        return assembly.live().requests().byId(requestId);
    }

    /** The last 200 circuit-breaker transitions, newest first. */
    public List<BreakerTransition> breakerTransitions() {
        return assembly.live().breakerHistory().newestFirst(Integer.MAX_VALUE);
    }

    /** The last 200 alerts raised (anomalies, breakers, fallback rates, dependencies, degradation), newest first. */
    public List<RaisedAlert> recentAlerts() {
        return assembly.live().alerts().newestFirst(Integer.MAX_VALUE);
    }

    /** Requests, errors, fallbacks, tokens, cost and latency per five seconds over the last fifteen minutes. */
    public TrafficSeries traffic() {
        return assembly.live().traffic().snapshot();
    }

    /** How much the gateway is holding back on purpose right now. */
    public DegradationMode degradationMode() {
        return assembly.degradation().mode();
    }

    /** Whether a configured provider answers at all (readiness); never fails, yields false instead. */
    public Future<Boolean> ping(String provider) {
        return assembly.ping(provider);
    }

    public LeveeConfig config() {
        return assembly.config();
    }

    /** The Vert.x instance levee runs on (its own, or the one given to the builder). */
    public Vertx vertx() {
        return assembly.vertx();
    }

    /** Where levee's meters ({@code levee.*}) are recorded. */
    public MeterRegistry meterRegistry() {
        return assembly.meterRegistry();
    }

    /**
     * Tells levee that virtual keys changed in its key store (a revoke, a rotation) through this
     * process: cached answers are dropped so the change applies at once here. Other instances see it
     * within {@code auth.key_cache_ttl}.
     */
    public void keysChanged() {
        assembly.keysChanged();
    }

    /**
     * Reports a credential refused by a server built on levee for an endpoint of its own (the
     * gateway's admin API and metrics), as an {@link LeveeEvent.AccessDenied} to levee's listeners —
     * the audit log among them — like the refusals on the request path.
     *
     * @param endpoint what was asked for (a path), never a credential
     */
    public void accessDenied(String requestId, String reason, String endpoint) {
        assembly.emit(new LeveeEvent.AccessDenied(requestId, assembly.clock().instant(), reason, null, endpoint));
    }

    /** Adds an event listener to a running levee. */
    public void addListener(LeveeEventListener listener) {
        assembly.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Records a request a server refused before it could become a {@link ChatRequest} — unreadable
     * JSON, a body too large, a server shutting down — so that it is logged (rate-limited), counted
     * and in telemetry like any other failure. Nothing of the body is recorded.
     */
    public void rejected(String requestId, LeveeException error, boolean stream) {
        assembly.rejected(Objects.requireNonNull(requestId, "requestId"), Objects.requireNonNull(error, "error"),
                stream);
    }

    private void track(CompletableFuture<ChatResponse> call, Runnable abort) {
        inFlight.put(call, abort);
        call.whenComplete((r, e) -> inFlight.remove(call));
    }

    private static LeveeException closed(String requestId) {
        return new LeveeException(LeveeException.Kind.SHUTTING_DOWN, "levee was closed before the answer came",
                requestId);
    }

    /** Closes with {@link #DEFAULT_CLOSE_GRACE} for the calls in flight. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_GRACE);
    }

    /**
     * Refuses new calls, lets the ones in flight finish within {@code grace}, fails the rest with a
     * {@link LeveeException} of kind {@code SHUTTING_DOWN} (no caller is left waiting), then stops.
     */
    public void close(Duration grace) {
        closing = true;
        CompletableFuture<?>[] pending = inFlight.keySet().toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // failed calls are answered already; the slow ones are ended below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inFlight.values().forEach(Runnable::run);
        assembly.close().toCompletionStage().toCompletableFuture().join();
    }

    private static void refuseEventLoop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Levee.process/complete block; on an event loop use chat() or stream()");
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** The handle a stream caller holds; calls made before the commit point apply once it is reached. */
    private static final class FacadeStream implements ChatStream {
        private final Call execution;
        private final CompletableFuture<ChatResponse> completion;
        private volatile LiveStream live;
        private volatile boolean cancelled;
        private volatile boolean paused;

        FacadeStream(Call execution, CompletableFuture<ChatResponse> completion) {
            this.execution = execution;
            this.completion = completion;
        }

        void attach(LiveStream stream) {
            this.live = stream;
        }

        void start() {
            if (cancelled) {
                live.cancel();
            } else if (!paused) {
                live.resume();
            }
        }

        @Override
        public String requestId() {
            return execution.requestId();
        }

        @Override
        public CompletableFuture<ChatResponse> completion() {
            return completion;
        }

        @Override
        public void cancel() {
            cancelled = true;
            LiveStream s = live;
            if (s != null) {
                s.cancel();
            } else {
                execution.cancel();
            }
            completion.completeExceptionally(new LeveeException(LeveeException.Kind.CANCELLED,
                    "cancelled by the caller", execution.requestId()));
        }

        @Override
        public void pause() {
            paused = true;
            LiveStream s = live;
            if (s != null) {
                s.pause();
            }
        }

        @Override
        public void resume() {
            paused = false;
            LiveStream s = live;
            if (s != null) {
                s.resume();
            }
        }
    }

    /** Builds a {@link Levee}: from a config object or file (default: the embedded config). */
    public static final class Builder {
        private LeveeConfig config;
        private Path configFile;
        private Vertx vertx;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.SYSTEM;
        private EmbeddedProviders embeddedProviders;
        private byte[] promptHashKey;
        private RandomGenerator random = new java.util.SplittableRandom();
        private final List<LeveeEventListener> listeners = new ArrayList<>();
        private final List<Interceptor> interceptors = new ArrayList<>();
        private boolean logRequests = true;
        private AnomalyDetector anomalyDetector;
        private TelemetrySink telemetrySink;
        private MeterRegistry meterRegistry;
        private KeyStore keyStore;
        private UsageSink usageSink;

        public Builder config(LeveeConfig config) {
            this.config = config;
            return this;
        }

        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** Runs on your Vert.x instance (which stays yours to close) instead of its own. */
        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        /** The wall clock: timestamps, and the breakers' open state (inject one to test recovery without sleeping). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Monotonic time for deadlines and latencies; inject one to control time in tests. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The secret that keys the prompt hashes in logs and telemetry (at least 16 bytes). Keep one per
         * installation — {@code levee serve} keeps it in its data directory — so hashes correlate across
         * restarts yet cannot be reversed by hashing a dictionary; without one, each process makes its own.
         */
        public Builder promptHashKey(byte[] key) {
            if (key != null && key.length < 16) {
                throw new IllegalArgumentException("the prompt hash key needs at least 16 bytes");
            }
            this.promptHashKey = key == null ? null : key.clone();
            return this;
        }

        /** Runs the providers of type simulator; by default the one found on the classpath, if any. */
        public Builder embeddedProviders(EmbeddedProviders embedded) {
            this.embeddedProviders = embedded;
            return this;
        }

        /** The source of backoff jitter and generic rule-based replies. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Builder listener(LeveeEventListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Adds a link to the request chain, after validation and before the route is resolved. */
        public Builder interceptor(Interceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /** Whether the request lifecycle is logged (SLF4J); on by default. */
        public Builder logRequests(boolean log) {
            this.logRequests = log;
            return this;
        }

        /** Replaces the anomaly detector chosen by the configuration. */
        public Builder anomalyDetector(AnomalyDetector detector) {
            this.anomalyDetector = detector;
            return this;
        }

        /** Sends telemetry records here instead of the configured JSON-lines file. */
        public Builder telemetrySink(TelemetrySink sink) {
            this.telemetrySink = sink;
            return this;
        }

        /** Records levee's meters ({@code levee.*}) in this registry; by default a private in-memory one. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Where virtual keys are looked up when authentication is on ({@code auth.master_key} set);
         * without one only the master key is accepted. Looked up off the event loop and cached.
         */
        public Builder keyStore(KeyStore store) {
            this.keyStore = store;
            return this;
        }

        /** Receives one usage row per request (the ledger); by default there is none. */
        public Builder usageSink(UsageSink sink) {
            this.usageSink = sink;
            return this;
        }

        /** Levee's own Vert.x: Netty's native transport where there is one (Linux), NIO elsewhere. */
        private static Vertx ownVertx() {
            return Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
        }

        /** Starts providers (and in-process simulators); blocks until ready. */
        public Levee build() {
            if (Context.isOnEventLoopThread()) {
                throw new IllegalStateException("Levee.build() blocks; call it off the event loop");
            }
            LeveeConfig cfg = config != null ? config
                    : configFile != null ? ConfigLoader.load(configFile) : ConfigLoader.loadDefault();
            boolean owns = vertx == null;
            Vertx vx = owns ? ownVertx() : vertx;
            try {
                EmbeddedProviders embedded = embeddedProviders != null ? embeddedProviders
                        : ServiceLoader.load(EmbeddedProviders.class).findFirst().orElse(null);
                Assembly assembly = Assembly.start(new Assembly.Settings(cfg, vx, owns, clock, ticker, random, listeners,
                        interceptors, logRequests, anomalyDetector, telemetrySink, meterRegistry, embedded, keyStore,
                        usageSink, promptHashKey))
                        .toCompletionStage().toCompletableFuture().join();
                return new Levee(assembly);
            } catch (RuntimeException e) {
                if (owns) {
                    vx.close();
                }
                throw e instanceof CompletionException && e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
    }
}
