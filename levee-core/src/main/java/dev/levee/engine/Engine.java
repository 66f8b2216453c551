package dev.levee.engine;

import dev.levee.AnomalyScore;
import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Usage;
import dev.levee.config.ProviderType;
import dev.levee.tokens.TokenEstimator;
import dev.levee.LeveeException;
import dev.levee.config.LeveeConfig;
import dev.levee.config.LoggingConfig.PromptLogging;
import dev.levee.config.ProviderConfig;
import dev.levee.config.RouteConfig;
import dev.levee.event.LeveeEvent;
import dev.levee.observe.LoggingListener;
import dev.levee.observe.PromptSanitizer;
import dev.levee.observe.RecentStats;
import dev.levee.observe.alert.Alerter;
import dev.levee.observe.anomaly.BaselineAnomalyDetector;
import dev.levee.observe.metrics.MetricsListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.levee.observe.telemetry.JsonlTelemetrySink;
import dev.levee.observe.telemetry.TelemetryListener;
import dev.levee.observe.telemetry.TelemetrySink;
import dev.levee.config.MonitoringConfig;
import dev.levee.pipeline.Deadline;
import dev.levee.pipeline.Events;
import dev.levee.pipeline.Pipeline;
import dev.levee.pipeline.Reply;
import dev.levee.pipeline.RequestContext;
import dev.levee.provider.Providers;
import dev.levee.resilience.Backoff;
import dev.levee.resilience.Breakers;
import dev.levee.routing.Router;
import dev.levee.simulator.Simulator;
import dev.levee.spi.AnomalyDetector;
import dev.levee.spi.Interceptor;
import dev.levee.spi.LeveeEventListener;
import dev.levee.spi.ProviderAdapter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The engine both faces share — the library facade and the HTTP gateway: providers, breakers,
 * the pipeline and the router, on one Vert.x instance. Everything here is non-blocking.
 */
public final class Engine implements Outcomes {
    /** Requests ids from outside are trusted only this far. */
    public static final int MAX_REQUEST_ID_LENGTH = 128;

    private final LeveeConfig config;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Clock clock;
    private final Map<String, ProviderAdapter> adapters;
    private final Map<String, Simulator> simulators;
    private final Breakers breakers;
    private final Events events;
    private final RecentStats stats;
    private final Pipeline pipeline;
    private final AnomalyDetector anomalyDetector;
    private final TelemetrySink telemetry;
    private final Alerter alerter;
    private final long alertFlushTimer;
    private final MeterRegistry meterRegistry;

    private Engine(Settings s, Map<String, ProviderAdapter> adapters, Map<String, Simulator> simulators, Events events,
                   TelemetrySink telemetry, Alerter alerter) {
        this.telemetry = telemetry;
        this.alerter = alerter;
        // Counts held back in an incident window are reported even when traffic stops.
        this.alertFlushTimer = s.vertx.setPeriodic(5_000, id -> alerter.flush());
        this.config = s.config;
        this.vertx = s.vertx;
        this.ownsVertx = s.ownsVertx;
        this.clock = s.clock;
        this.adapters = Map.copyOf(adapters);
        this.simulators = Map.copyOf(simulators);
        this.events = events;
        this.anomalyDetector = s.anomalyDetector;
        this.stats = new RecentStats(config.monitoring().statsWindow(), config.monitoring().anomalyThreshold());
        events.add(stats);
        this.meterRegistry = s.meterRegistry;
        this.breakers = new Breakers(config.resilience().breaker(), clock, (target, from, to) -> events.emit(
                new LeveeEvent.CircuitStateChanged(null, clock.instant(), target, from, to)));
        events.add(new MetricsListener(meterRegistry, breakers, config.monitoring().anomalyThreshold()));
        Router router = new Router(vertx, adapters, breakers, new Backoff(config.resilience().retry(), s.random),
                config.resilience().timeout(), config.faultInjection(), config.ruleBased(), s.random, events);
        List<Interceptor> chain = new ArrayList<>();
        chain.add(new RequestValidator());
        chain.addAll(s.interceptors);
        this.pipeline = new Pipeline(chain, router::route);
    }

    /** What an engine is built from. */
    public record Settings(LeveeConfig config, Vertx vertx, boolean ownsVertx, Clock clock, RandomGenerator random,
                           List<LeveeEventListener> listeners, List<Interceptor> interceptors, boolean logRequests,
                           AnomalyDetector anomalyDetector, TelemetrySink telemetrySink, MeterRegistry meterRegistry) {
        public Settings {
            anomalyDetector = anomalyDetector == null ? new BaselineAnomalyDetector(config.monitoring().anomaly())
                    : anomalyDetector;
            meterRegistry = meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry;
            listeners = List.copyOf(listeners);
            interceptors = List.copyOf(interceptors);
        }
    }

    /** Starts the providers (and any in-process simulators), then the engine. */
    public static Future<Engine> start(Settings settings) {
        Events events = new Events();
        if (settings.logRequests()) {
            events.add(new LoggingListener(settings.config().monitoring().anomalyThreshold()));
        }
        TelemetrySink telemetry = settings.telemetrySink() != null ? settings.telemetrySink()
                : fileSink(settings.config().monitoring().telemetry());
        if (telemetry != null) {
            events.add(new TelemetryListener(telemetry));
        }
        Alerter alerter = Alerter.create(settings.vertx(), settings.config().monitoring().alerts(), settings.clock());
        events.add(alerter);
        settings.listeners().forEach(events::add);
        Map<String, ProviderAdapter> adapters = new LinkedHashMap<>();
        Map<String, Simulator> simulators = new LinkedHashMap<>();
        List<Future<?>> started = new ArrayList<>();
        for (ProviderConfig provider : settings.config().providers().values()) {
            started.add(Providers.start(settings.vertx(), provider).onSuccess(s -> {
                synchronized (adapters) {
                    adapters.put(provider.name(), s.adapter());
                    if (s.simulator() != null) {
                        simulators.put(provider.name(), s.simulator());
                    }
                }
            }));
        }
        Future<Void> tokenizer = settings.vertx().executeBlocking(() -> {
            TokenEstimator.warmUp(); // the BPE table loads once, off the event loop
            return null;
        });
        started.add(tokenizer);
        return Future.all(started).map(v -> new Engine(settings, adapters, simulators, events, telemetry, alerter));
    }

    private static TelemetrySink fileSink(MonitoringConfig.Telemetry settings) {
        return settings.path() == null ? null
                : new JsonlTelemetrySink(settings.path(), settings.maxFileBytes(), settings.maxFiles());
    }

    /**
     * Runs a request through the pipeline. The returned future completes on a Vert.x event loop:
     * with the complete answer, or, for a stream, at the commit point with a paused {@link
     * dev.levee.pipeline.LiveStream}. It fails with {@link LeveeException}.
     */
    public Execution execute(ChatRequest request, boolean stream) {
        String requestId = requestId(request.options().requestId());
        RouteConfig route = config.route(request.route());
        if (route == null) {
            LeveeException e = new LeveeException(LeveeException.Kind.UNKNOWN_ROUTE, "no route named '"
                    + request.route() + "' (routes: " + String.join(", ", config.routes().keySet()) + ")", requestId);
            events.emit(new LeveeEvent.RequestFailed(requestId, clock.instant(), String.valueOf(request.route()),
                    request, e, 0, stream, List.of(), Map.of(), null, null));
            return new Execution(requestId, Future.failedFuture(e), null);
        }
        Duration budget = request.options().deadline() != null ? request.options().deadline()
                : config.resilience().timeout().deadlineFor(request.maxTokens());
        RequestContext ctx = new RequestContext(requestId, request, route, Deadline.after(budget, System::nanoTime),
                clock, stream);
        Promise<Reply> reply = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> run(ctx, reply));
        return new Execution(requestId, reply.future(), ctx);
    }

    private void run(RequestContext ctx, Promise<Reply> reply) {
        events.emit(started(ctx));
        Future<Reply> result;
        try {
            result = pipeline.execute(ctx);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                Reply r = ar.result();
                if (r instanceof Reply.Complete c) {
                    reply.complete(new Reply.Complete(completed(ctx, c.response())));
                } else {
                    reply.complete(new Reply.Streaming(new ObservedStream(((Reply.Streaming) r).stream(), ctx, this)));
                }
            } else {
                LeveeException error = ar.cause() instanceof LeveeException le ? le
                        : new LeveeException(LeveeException.Kind.UNAVAILABLE, "internal error: "
                                + ar.cause().getClass().getSimpleName(), ctx.requestId(), ar.cause());
                failed(ctx, error, null);
                reply.fail(error);
            }
        });
    }

    @Override
    public ChatResponse completed(RequestContext ctx, ChatResponse reported) {
        ChatResponse response = reported;
        if (response.usage().equals(Usage.NONE) && !response.ruleBased()) {
            response = response.withUsage(TokenEstimator.estimate(ctx.request().messages(), response.text()));
        }
        AnomalyScore anomaly;
        try {
            anomaly = anomalyDetector.score(ctx.request(), response, ctx.ttftMillis());
        } catch (RuntimeException e) {
            anomaly = AnomalyScore.NONE; // a broken detector must not break answers
        }
        events.emit(new LeveeEvent.RequestCompleted(ctx.requestId(), clock.instant(), ctx.request(), response,
                ctx.ttftMillis(), ctx.stream(), anomaly, breakerStates(response.attempts()), costNanos(response)));
        return response;
    }

    private long costNanos(ChatResponse response) {
        if (response.provider() == null) {
            return 0;
        }
        ProviderConfig provider = config.providers().get(response.provider());
        boolean local = provider == null || provider.type() == ProviderType.OLLAMA
                || provider.type() == ProviderType.SIMULATOR;
        return config.pricing().priceOf(response.modelUsed(), local)
                .costNanos(response.usage().promptTokens(), response.usage().completionTokens());
    }

    @Override
    public void failed(RequestContext ctx, LeveeException error, String partialText) {
        List<Attempt> attempts = ctx.attempts();
        events.emit(new LeveeEvent.RequestFailed(ctx.requestId(), clock.instant(), ctx.route().name(), ctx.request(),
                error, ctx.elapsedMillis(), ctx.stream(), attempts, breakerStates(attempts), ctx.ttftMillis(),
                partialText));
    }

    private Map<String, String> breakerStates(List<Attempt> attempts) {
        Map<String, String> states = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            states.computeIfAbsent(a.target(), t -> breakers.forTarget(t).state().name());
        }
        return states;
    }

    private LeveeEvent.RequestStarted started(RequestContext ctx) {
        String prompt = ctx.request().lastUserText();
        PromptLogging mode = config.logging().prompts();
        String faults = null;
        var o = ctx.request().options();
        if (o.injectsFaults()) {
            faults = "force_primary_failure=" + o.forcePrimaryFailure() + ", force_all_models_fail="
                    + o.forceAllModelsFail() + ", simulate_high_load=" + o.simulateHighLoad()
                    + (o.forceFailTiers().isEmpty() ? "" : ", force_fail_tiers=" + o.forceFailTiers());
        }
        return new LeveeEvent.RequestStarted(ctx.requestId(), ctx.startedAt(), ctx.route().name(), ctx.request(),
                ctx.stream(),
                mode == PromptLogging.HASH ? PromptSanitizer.hash(prompt) : null, prompt.length(),
                mode == PromptLogging.SANITIZED ? PromptSanitizer.sanitize(prompt) : null, faults);
    }

    /** An incoming id if it is short and printable, else a new UUID. */
    public static String requestId(String incoming) {
        if (incoming != null && !incoming.isEmpty() && incoming.length() <= MAX_REQUEST_ID_LENGTH
                && incoming.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            return incoming;
        }
        // A random UUID-shaped id; SecureRandom (UUID.randomUUID) would be a contended cost on every request.
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L)
                .toString();
    }

    public LeveeConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Breakers breakers() {
        return breakers;
    }

    /** Where the engine's meters live (a Prometheus registry in the gateway). */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    public RecentStats stats() {
        return stats;
    }

    public Map<String, ProviderAdapter> adapters() {
        return adapters;
    }

    /** The in-process simulator behind a provider of type simulator. */
    public Optional<Simulator> simulator(String provider) {
        return Optional.ofNullable(simulators.get(provider));
    }

    public void addListener(LeveeEventListener listener) {
        events.add(listener);
    }

    public Future<Void> close() {
        vertx.cancelTimer(alertFlushTimer);
        List<Future<?>> closing = new ArrayList<>();
        closing.add(alerter.close());
        adapters.values().forEach(a -> closing.add(a.close()));
        simulators.values().forEach(s -> closing.add(s.closeAsync()));
        Future<Void> all = Future.join(closing).<Void>mapEmpty()
                .eventually(() -> vertx.executeBlocking(() -> {
                    if (telemetry != null) {
                        telemetry.close(); // flushes what is queued
                    }
                    return null;
                }).mapEmpty());
        return ownsVertx ? all.eventually(vertx::close) : all;
    }
}
