package dev.levee.otel;

import dev.levee.config.LeveeConfig;
import dev.levee.config.MonitoringConfig;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Levee's events as OpenTelemetry spans with the GenAI semantic conventions.
 *
 * <p>Each request is a span {@code chat <route>}: a {@code SERVER} span that continues the caller's
 * trace when its call options carry a W3C {@code traceparent} (the gateway passes the HTTP header
 * on), an {@code INTERNAL} root span otherwise. Each upstream attempt is a {@code CLIENT} child
 * {@code chat <model>}. Retries, skipped tiers and fallbacks are events on the request span. Spans
 * start and end at the events' timestamps. Prompts and answers go on spans only when
 * {@code monitoring.tracing.capture_content} is on; credentials never do.
 *
 * <p>Called on event loops: it only builds spans, which the batch processor exports off-thread.
 */
public final class TracingListener implements LeveeEventListener, AutoCloseable {
    /** The instrumentation scope of levee's spans. */
    public static final String SCOPE = "dev.levee";
    /** A request with no terminal event for this long is ended as incomplete and forgotten. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);
    private static final long SWEEP_INTERVAL_MILLIS = 60_000;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final Tracer tracer;
    private final Targets targets;
    private final boolean captureContent;
    private final long maxAgeMillis;
    private final OpenTelemetrySdk ownedSdk;
    private final Map<String, RequestTrace> traces = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Traces into an embedder's OpenTelemetry; {@link #close()} leaves it running. */
    public TracingListener(OpenTelemetry openTelemetry, LeveeConfig config) {
        this(tracer(openTelemetry), config);
    }

    /** Traces with the given tracer; {@link #close()} leaves its provider running. */
    public TracingListener(Tracer tracer, LeveeConfig config) {
        this(tracer, config, DEFAULT_MAX_AGE, null);
    }

    TracingListener(Tracer tracer, LeveeConfig config, Duration maxAge, OpenTelemetrySdk ownedSdk) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.targets = new Targets(config);
        this.captureContent = config.monitoring().tracing().captureContent();
        this.maxAgeMillis = maxAge.toMillis();
        this.ownedSdk = ownedSdk;
    }

    /**
     * A listener exporting over OTLP/HTTP to {@code monitoring.tracing.otlp_endpoint}, with its own
     * SDK ({@code service.name} from the config, batched export); {@code null} when tracing is off.
     * Close it after levee, to flush the last spans.
     */
    public static TracingListener create(LeveeConfig config) {
        MonitoringConfig.Tracing tracing = config.monitoring().tracing();
        if (tracing.otlpEndpoint() == null) {
            return null;
        }
        OpenTelemetrySdk sdk = OtlpExport.sdk(tracing);
        return new TracingListener(tracer(sdk), config, DEFAULT_MAX_AGE, sdk);
    }

    private static Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.tracerBuilder(SCOPE).setSchemaUrl(TraceAttributes.SCHEMA_URL).build();
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.RequestStarted e) {
            started(e);
            return;
        }
        if (event instanceof LeveeEvent.RequestFailed e) {
            RequestTrace trace = traces.remove(e.requestId());
            if (trace == null) { // failed before it started, e.g. an unknown route
                trace = RequestTrace.open(tracer, targets, captureContent, e.requestId(),
                        e.at().minusNanos((long) (e.latencyMs() * 1e6)), e.route(), e.request(), e.stream());
            }
            trace.failed(e);
            return;
        }
        RequestTrace trace = event.requestId() == null ? null : traces.get(event.requestId());
        if (trace == null) {
            return; // not a request's event (breaker transitions), or one we never saw start
        }
        if (event instanceof LeveeEvent.RequestCompleted e) {
            traces.remove(e.requestId(), trace);
            trace.completed(e);
        } else if (event instanceof LeveeEvent.AttemptStarted e) {
            trace.attemptStarted(e);
        } else if (event instanceof LeveeEvent.AttemptSucceeded e) {
            trace.attemptSucceeded(e);
        } else if (event instanceof LeveeEvent.AttemptFailed e) {
            trace.attemptFailed(e);
        } else if (event instanceof LeveeEvent.TierSkipped e) {
            trace.tierSkipped(e);
        } else if (event instanceof LeveeEvent.FallbackTriggered e) {
            trace.fallbackTriggered(e);
        } else if (event instanceof LeveeEvent.StreamContinued e) {
            trace.streamContinued(e);
        } else if (event instanceof LeveeEvent.RuleBasedReplyUsed e) {
            trace.ruleBasedReplyUsed(e);
        }
    }

    private void started(LeveeEvent.RequestStarted e) {
        evictStale(e.at());
        RequestTrace trace = RequestTrace.open(tracer, targets, captureContent, e.requestId(), e.at(), e.route(),
                e.request(), e.stream());
        if (e.faultInjection() != null) {
            trace.faultInjection(e.faultInjection());
        }
        RequestTrace previous = traces.put(e.requestId(), trace);
        if (previous != null) { // a caller reused a request id while the first was in flight
            previous.abandon(e.at());
        }
    }

    /** At most once a minute, ends and drops the requests whose terminal event never came. */
    private void evictStale(Instant now) {
        long nowMillis = now.toEpochMilli();
        long last = lastSweep.get();
        if (nowMillis - last < SWEEP_INTERVAL_MILLIS || !lastSweep.compareAndSet(last, nowMillis)) {
            return;
        }
        long cutoff = nowMillis - maxAgeMillis;
        traces.forEach((id, trace) -> {
            if (trace.startedAtMillis() < cutoff && traces.remove(id, trace)) {
                trace.abandon(now);
            }
        });
    }

    /** Requests with an open span. */
    int inFlight() {
        return traces.size();
    }

    /** Exports what has ended so far; {@code false} if it did not finish in time (or there is no own SDK). */
    boolean flush(Duration timeout) {
        return ownedSdk != null && ownedSdk.getSdkTracerProvider().forceFlush()
                .join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /** Flushes and shuts down the SDK that {@link #create} built, waiting a few seconds at most. */
    @Override
    public void close() {
        if (ownedSdk == null || !closed.compareAndSet(false, true)) {
            return;
        }
        ownedSdk.getSdkTracerProvider().forceFlush().join(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        ownedSdk.shutdown().join(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
