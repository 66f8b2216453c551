package dev.levee.internal.engine;

import dev.levee.BreakerSnapshot;
import dev.levee.Ticker;
import dev.levee.config.LeveeConfig;
import dev.levee.config.MonitoringConfig;
import dev.levee.config.ProviderConfig;
import dev.levee.internal.access.Authentication;
import dev.levee.internal.access.RouteAccess;
import dev.levee.internal.chain.Events;
import dev.levee.internal.limits.Limits;
import dev.levee.internal.observe.LoggingListener;
import dev.levee.internal.observe.RecentStats;
import dev.levee.internal.observe.SloTracker;
import dev.levee.internal.observe.alert.Alerter;
import dev.levee.internal.observe.live.LiveViews;
import dev.levee.internal.observe.anomaly.BaselineAnomalyDetector;
import dev.levee.internal.observe.metrics.MetricsListener;
import dev.levee.internal.observe.telemetry.JsonlTelemetrySink;
import dev.levee.internal.observe.telemetry.TelemetryListener;
import dev.levee.internal.provider.Providers;
import dev.levee.internal.resilience.Backoff;
import dev.levee.internal.resilience.Breakers;
import dev.levee.internal.resilience.Bulkheads;
import dev.levee.internal.resilience.Degradation;
import dev.levee.internal.resilience.TargetCall;
import dev.levee.internal.text.PromptDigest;
import dev.levee.internal.routing.Router;
import dev.levee.internal.tokens.TokenEstimator;
import dev.levee.spi.AnomalyDetector;
import dev.levee.spi.EmbeddedProviders;
import dev.levee.spi.Interceptor;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import dev.levee.spi.ProviderAdapter;
import dev.levee.spi.KeyStore;
import dev.levee.spi.TelemetrySink;
import dev.levee.spi.UsageSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The composition root: builds the providers, breakers, guards, router and chain, and the listeners
 * that turn the request path's events into logs, statistics, metrics, telemetry and alerts. It owns
 * what it started and closes it; the request lifecycle itself is {@link Engine}'s.
 */
public final class Assembly {
    private final Settings settings;
    private final Engine engine;
    private final Events events;
    private final Breakers breakers;
    private final RecentStats stats;
    private final Map<String, ProviderAdapter> adapters;
    private final List<EmbeddedProviders.Running> embedded;
    private final TelemetrySink telemetry;
    private final Alerter alerter;
    private final long alertFlushTimer;
    private final Authentication authentication;
    private final ExecutorService keyLookups;
    private final Limits limits;
    private final Degradation degradation;
    private final SloTracker slos;
    private final LiveViews live;
    private final Engine counter;

    /** What levee is built from. */
    public record Settings(LeveeConfig config, Vertx vertx, boolean ownsVertx, Clock clock, Ticker ticker,
                           RandomGenerator random, List<LeveeEventListener> listeners, List<Interceptor> interceptors,
                           boolean logRequests, AnomalyDetector anomalyDetector, TelemetrySink telemetrySink,
                           MeterRegistry meterRegistry, EmbeddedProviders embeddedProviders, KeyStore keyStore,
                           UsageSink usageSink, byte[] promptHashKey) {
        public Settings {
            anomalyDetector = anomalyDetector == null ? new BaselineAnomalyDetector(config.monitoring().anomaly())
                    : anomalyDetector;
            meterRegistry = meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry;
            ticker = ticker == null ? Ticker.SYSTEM : ticker;
            promptHashKey = promptHashKey == null ? null : promptHashKey.clone();
            listeners = List.copyOf(listeners);
            interceptors = List.copyOf(interceptors);
        }
    }

    private Assembly(Settings s, Events events, Map<String, ProviderAdapter> adapters,
                     List<EmbeddedProviders.Running> embedded, TelemetrySink telemetry, Alerter alerter,
                     PromptDigest promptDigest, LiveViews live) {
        this.settings = s;
        this.live = live;
        this.events = events;
        this.adapters = Map.copyOf(adapters);
        this.embedded = List.copyOf(embedded);
        this.telemetry = telemetry;
        this.alerter = alerter;
        // Counts held back in an incident window are reported even when traffic stops.
        this.alertFlushTimer = s.vertx().setPeriodic(5_000, id -> alerter.flush());
        LeveeConfig config = s.config();
        this.stats = new RecentStats(config.monitoring().statsWindow(), config.monitoring().anomalyThreshold());
        events.add(stats);
        this.slos = new SloTracker(config, s.clock(), s.meterRegistry());
        events.add(slos);
        this.breakers = new Breakers(config.resilience().breaker(), s.clock(), s.ticker(), (target, from, to) ->
                events.emit(new LeveeEvent.CircuitStateChanged(null, s.clock().instant(), target, from, to)));
        this.degradation = new Degradation(config.resilience().degradation(), breakers,
                config.routes().values().stream().flatMap(r -> r.tiers().stream()).toList(), s.clock(),
                (from, to, reason) -> events.emit(new LeveeEvent.DegradationChanged(null, s.clock().instant(), from,
                        to, reason)));
        events.add(degradation); // judged again on every breaker change
        io.micrometer.core.instrument.Gauge.builder("levee.degradation.mode", degradation, d -> d.mode().ordinal())
                .description("The degradation mode: 0 normal, 1 degraded, 2 emergency")
                .register(s.meterRegistry());
        events.add(new MetricsListener(s.meterRegistry(), breakers, config.monitoring().anomalyThreshold(), config));
        TargetCall targets = new TargetCall(s.vertx(), adapters, breakers,
                new Backoff(config.resilience().retry(), s.random()), config.resilience().timeout(),
                config.faultInjection(), events, s.ticker());
        Router router = new Router(targets, config.resilience().timeout(), config.ruleBased(), s.random(), events,
                new Bulkheads(config.resilience().bulkhead()), degradation);
        boolean auth = config.auth().enabled();
        this.keyLookups = auth && s.keyStore() != null ? keyLookupThreads() : null;
        this.authentication = auth ? new Authentication(config.auth(), s.keyStore(), keyLookups, s.ticker(), events)
                : null;
        this.limits = auth ? Limits.create(config, s.vertx(), s.clock(), events, s.meterRegistry()) : null;
        this.engine = new Engine(s.vertx(), RequestPath.build(
                new Outcomes(config, events, breakers, s.anomalyDetector(), promptDigest),
                s.usageSink() == null ? null : new UsageRecorder(s.usageSink()), s.interceptors(), authentication,
                auth ? new RouteAccess(events) : null, limits, new Routes(config),
                new Deadlines(config.resilience().timeout(), s.ticker()), new Metering(config), router),
                s.clock(), s.ticker());
        this.counter = new Engine(s.vertx(), RequestPath.counting(authentication,
                auth ? new RouteAccess(events) : null, new Routes(config)), s.clock(), s.ticker());
    }

    /**
     * Where key-store lookups block, off the event loops: a few threads, and a bounded queue so a
     * stalled store refuses lookups (503) instead of piling them up.
     */
    private static ExecutorService keyLookupThreads() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "levee-keys-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Forgets cached keys after this process revoked or rotated one, so the change applies at once. */
    public void keysChanged() {
        if (authentication != null) {
            authentication.keysChanged();
        }
    }

    /** Starts the providers (and any embedded ones), then assembles the rest. */
    public static Future<Assembly> start(Settings settings) {
        Events events = new Events();
        PromptDigest promptDigest = settings.promptHashKey() != null ? new PromptDigest(settings.promptHashKey())
                : PromptDigest.random();
        if (settings.logRequests()) {
            events.add(new LoggingListener(settings.config().monitoring().anomalyThreshold()));
        }
        TelemetrySink telemetry = settings.telemetrySink() != null ? settings.telemetrySink()
                : fileSink(settings.config().monitoring().telemetry(), settings.config().storage());
        LiveViews live = new LiveViews(settings.config(), settings.clock());
        // one record per request, built once, for the telemetry file and the console's request list
        events.add(new TelemetryListener(telemetry == null ? live.requests() : record -> {
            telemetry.accept(record);
            live.requests().accept(record);
        }, promptDigest));
        Alerter alerter = Alerter.create(settings.vertx(), settings.config().monitoring().alerts(), settings.clock(),
                live.alerts());
        events.add(alerter);
        events.add(live.breakerHistory());
        events.add(live.traffic());
        settings.listeners().forEach(events::add);
        Map<String, ProviderAdapter> adapters = new LinkedHashMap<>();
        List<EmbeddedProviders.Running> embedded = new ArrayList<>();
        List<Future<?>> started = new ArrayList<>();
        for (ProviderConfig provider : settings.config().providers().values()) {
            started.add(Providers.start(settings.vertx(), provider, settings.embeddedProviders()).onSuccess(s -> {
                synchronized (adapters) {
                    adapters.put(provider.name(), s.adapter());
                    if (s.embedded() != null) {
                        embedded.add(s.embedded());
                    }
                }
            }));
        }
        started.add(settings.vertx().executeBlocking(() -> {
            TokenEstimator.warmUp(); // the BPE table loads once, off the event loop
            return null;
        }));
        return Future.all(started).map(v -> new Assembly(settings, events, adapters, embedded, telemetry, alerter,
                promptDigest, live));
    }

    /** The telemetry file; a relative path is under the data directory, never the working directory. */
    private static TelemetrySink fileSink(MonitoringConfig.Telemetry settings, dev.levee.config.StorageConfig storage) {
        return settings.path() == null ? null
                : new JsonlTelemetrySink(storage.resolve(settings.path()), settings.maxFileBytes(), settings.maxFiles());
    }

    public Engine engine() {
        return engine;
    }

    /** The counting path ({@link RequestPath#counting}). */
    public Engine counter() {
        return counter;
    }

    public LeveeConfig config() {
        return settings.config();
    }

    public Vertx vertx() {
        return settings.vertx();
    }

    public MeterRegistry meterRegistry() {
        return settings.meterRegistry();
    }

    public RecentStats stats() {
        return stats;
    }

    public List<BreakerSnapshot> breakers() {
        return breakers.snapshots();
    }

    public Degradation degradation() {
        return degradation;
    }

    public SloTracker slos() {
        return slos;
    }

    public LiveViews live() {
        return live;
    }

    /** Whether a provider answers at all; never fails, yields false instead. */
    public Future<Boolean> ping(String provider) {
        ProviderAdapter adapter = adapters.get(provider);
        return adapter == null ? Future.succeededFuture(false) : adapter.ping();
    }

    public void addListener(LeveeEventListener listener) {
        events.add(listener);
    }

    /** A request refused before the chain: a failure with no request, no route and no attempts. */
    public void rejected(String requestId, dev.levee.LeveeException error, boolean stream) {
        events.emit(new LeveeEvent.RequestFailed(requestId, settings.clock().instant(), null, null, error, 0, stream,
                List.of(), Map.of(), null, null));
    }

    public Clock clock() {
        return settings.clock();
    }

    /** An event from outside the request path (a server's own endpoints), to the same listeners. */
    public void emit(LeveeEvent event) {
        events.emit(event);
    }

    public Future<Void> close() {
        Vertx vertx = settings.vertx();
        vertx.cancelTimer(alertFlushTimer);
        if (keyLookups != null) {
            keyLookups.shutdownNow();
        }
        List<Future<?>> closing = new ArrayList<>();
        closing.add(alerter.close());
        if (limits != null) {
            closing.add(limits.close());
        }
        adapters.values().forEach(a -> closing.add(a.close()));
        embedded.forEach(e -> closing.add(e.close()));
        Future<Void> all = Future.join(closing).<Void>mapEmpty()
                .eventually(() -> vertx.executeBlocking(() -> {
                    if (telemetry != null) {
                        telemetry.close(); // flushes what is queued
                    }
                    return null;
                }).mapEmpty());
        return settings.ownsVertx() ? all.eventually(vertx::close) : all;
    }
}
