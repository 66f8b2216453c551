package dev.levee.internal.observe.alert;

import dev.levee.config.AlertSettings;
import dev.levee.AnomalyScore;
import dev.levee.ChatResponse;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEvent.CircuitStateChanged;
import dev.levee.spi.LeveeEvent.RequestCompleted;
import dev.levee.internal.observe.LoggingListener;
import dev.levee.internal.text.PromptSanitizer;
import dev.levee.spi.LeveeEventListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns events into alerts, de-duplicated per incident:
 * <ul>
 *   <li>{@link Alert.Kind#ANOMALY} when an answer's anomaly score exceeds the threshold (key: the model);</li>
 *   <li>{@link Alert.Kind#BREAKER_OPEN} when a circuit breaker opens (key: its target), resolved when it closes;</li>
 *   <li>{@link Alert.Kind#FALLBACK_RATE} when the share of fallback answers over a route's recent
 *       answers exceeds the threshold (key: the route), resolved when it falls to half of it.</li>
 * </ul>
 * An incident pages once per {@link AlertSettings#incidentWindow()}; occurrences inside the window
 * are counted and reported by its next alert, so a storm of a thousand anomalies is one webhook
 * call, and the next one after the window says "1000 times since ...". Held-back counts are also
 * reported by {@link #flush()}, which runs on every event at most every few seconds and may be called
 * from a periodic timer.
 *
 * <p>Alerts carry names, figures and reasons only: never prompts, answers or credentials (reasons
 * from other detectors are masked with {@link PromptSanitizer}). Runs on event loops: short locks,
 * no I/O of its own, and never throws into the request path.
 */
public final class Alerter implements LeveeEventListener {
    private static final Logger log = LoggerFactory.getLogger("levee.alert");
    private static final int MAX_REASONS = 5;
    private static final int MAX_REASON_CHARS = 200;

    private final AlertSettings settings;
    private final AlertSink sink;
    private final Clock clock;
    private final Incidents incidents;
    private final FallbackRates fallbackRates;
    private final Duration flushEvery;
    private volatile Instant nextFlush;

    public Alerter(AlertSettings settings, AlertSink sink, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.incidents = new Incidents(settings.incidentWindow());
        this.fallbackRates = new FallbackRates(settings.fallbackRate(), settings.fallbackWindow(),
                settings.fallbackMinCount());
        Duration tenth = settings.incidentWindow().dividedBy(10);
        this.flushEvery = tenth.compareTo(Duration.ofSeconds(5)) < 0 ? tenth : Duration.ofSeconds(5);
        this.nextFlush = clock.instant().plus(flushEvery);
    }

    /** An alerter posting to the settings' webhook, or only logging when it has none. */
    public static Alerter create(Vertx vertx, AlertSettings settings, Clock clock) {
        return create(vertx, settings, clock, AlertSink.NONE);
    }

    /** The same, also delivering every alert to {@code kept} (the console's list). */
    public static Alerter create(Vertx vertx, AlertSettings settings, Clock clock, AlertSink kept) {
        if (settings.webhookUrl() == null) {
            return new Alerter(settings, kept, clock);
        }
        WebhookAlertSink webhook = new WebhookAlertSink(vertx, settings);
        return new Alerter(settings, new AlertSink() {
            @Override
            public void send(Alert alert) {
                kept.send(alert);
                webhook.send(alert);
            }

            @Override
            public Future<Void> close() {
                return webhook.close();
            }
        }, clock);
    }

    public AlertSettings settings() {
        return settings;
    }

    @Override
    public void onEvent(LeveeEvent event) {
        try {
            Instant now = clock.instant();
            if (event instanceof RequestCompleted e) {
                onCompleted(e, now);
            } else if (event instanceof CircuitStateChanged e) {
                onBreaker(e, now);
            } else if (event instanceof LeveeEvent.DependencyChanged e) {
                onDependency(e, now);
            } else if (event instanceof LeveeEvent.DegradationChanged e) {
                onDegradation(e, now);
            }
            if (!now.isBefore(nextFlush)) {
                flush();
            }
        } catch (RuntimeException e) {
            log.warn("Alerting failed for {}: {}", event.getClass().getSimpleName(), e.toString());
        }
    }

    /** Closes the sink (the webhook's connections). */
    public Future<Void> close() {
        return sink.close();
    }

    /** Reports occurrences held back in incident windows that have passed. */
    public void flush() {
        Instant now = clock.instant();
        nextFlush = now.plus(flushEvery);
        for (Alert alert : incidents.due(now)) {
            deliver(alert, null);
        }
    }

    private void onCompleted(RequestCompleted e, Instant now) {
        ChatResponse r = e.response();
        FallbackRates.Crossing crossing = fallbackRates.record(r.route(), r.fallbackUsed());
        if (crossing != null) {
            Alert draft = crossing.up() ? fallbackRateHigh(r.route(), crossing, now) : fallbackRateNormal(r.route(),
                    crossing, now);
            if (crossing.up()) {
                occurred(draft, true, now, e.requestId());
            } else {
                deliver(incidents.resolved(draft, now), e.requestId());
            }
        }
        AnomalyScore anomaly = e.anomaly();
        if (anomaly != null && anomaly.score() > settings.anomalyThreshold()) {
            occurred(anomalous(e, now), false, now, e.requestId());
        }
    }

    private void onBreaker(CircuitStateChanged e, Instant now) {
        if ("OPEN".equals(e.to()) || "FORCED_OPEN".equals(e.to())) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("target", e.target());
            fields.put("from", e.from());
            fields.put("to", e.to());
            occurred(new Alert(Alert.Kind.BREAKER_OPEN, Alert.Severity.CRITICAL, e.target(),
                    "Circuit breaker open for " + e.target(),
                    "Calls to " + e.target() + " are skipped in favour of the next tier until it recovers.",
                    fields, now, now, 1, false), true, now, e.requestId());
        } else if ("CLOSED".equals(e.to())) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("target", e.target());
            fields.put("from", e.from());
            fields.put("to", e.to());
            deliver(incidents.resolved(new Alert(Alert.Kind.BREAKER_OPEN, Alert.Severity.INFO, e.target(),
                    "Circuit breaker closed again for " + e.target(), e.target() + " is answering again.",
                    fields, now, now, 0, true), now), e.requestId());
        }
    }

    private void onDependency(LeveeEvent.DependencyChanged e, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("dependency", e.dependency());
        fields.put("meanwhile", e.detail());
        if (!e.up()) {
            occurred(new Alert(Alert.Kind.DEPENDENCY_DOWN, Alert.Severity.CRITICAL, e.dependency(),
                    e.dependency() + " is not answering", e.detail() + ".", fields, now, now, 1, false), true, now,
                    null);
        } else {
            deliver(incidents.resolved(new Alert(Alert.Kind.DEPENDENCY_DOWN, Alert.Severity.INFO, e.dependency(),
                    e.dependency() + " answers again", e.detail() + ".", fields, now, now, 0, true), now), null);
        }
    }

    private void onDegradation(LeveeEvent.DegradationChanged e, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("from", e.from().wireName());
        fields.put("to", e.to().wireName());
        fields.put("reason", e.reason());
        if (e.to() != dev.levee.DegradationMode.NORMAL) {
            occurred(new Alert(Alert.Kind.DEGRADED, e.to() == dev.levee.DegradationMode.EMERGENCY
                    ? Alert.Severity.CRITICAL : Alert.Severity.WARNING, "gateway",
                    "levee is in " + e.to().wireName() + " mode", e.reason() + ".", fields, now, now, 1, false),
                    true, now, null);
        } else {
            deliver(incidents.resolved(new Alert(Alert.Kind.DEGRADED, Alert.Severity.INFO, "gateway",
                    "levee is back to normal mode", e.reason() + ".", fields, now, now, 0, true), now), null);
        }
    }

    private Alert anomalous(RequestCompleted e, Instant now) {
        ChatResponse r = e.response();
        List<String> reasons = safeReasons(e.anomaly().reasons());
        String score = String.format(Locale.ROOT, "%.2f", e.anomaly().score());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", r.modelUsed());
        fields.put("provider", String.valueOf(r.provider()));
        fields.put("route", r.route());
        fields.put("score", score);
        fields.put("reasons", String.join("; ", reasons));
        fields.put("fallback_level", String.valueOf(r.fallbackLevel()));
        fields.put("request_id", e.requestId());
        return new Alert(Alert.Kind.ANOMALY, Alert.Severity.WARNING, r.modelUsed(),
                "Anomalous answer from " + r.modelUsed(),
                "anomaly score " + score + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)),
                fields, now, now, 1, false);
    }

    private Alert fallbackRateHigh(String route, FallbackRates.Crossing c, Instant now) {
        return new Alert(Alert.Kind.FALLBACK_RATE, Alert.Severity.WARNING, route,
                "Fallback rate on route " + route + " at " + percent(c.share()),
                c.fallbacks() + " of the last " + c.answers() + " answers came from a fallback tier or the "
                        + "rule-based reply (threshold " + percent(settings.fallbackRate()) + ").",
                rateFields(route, c), now, now, 1, false);
    }

    private Alert fallbackRateNormal(String route, FallbackRates.Crossing c, Instant now) {
        return new Alert(Alert.Kind.FALLBACK_RATE, Alert.Severity.INFO, route,
                "Fallback rate on route " + route + " back to " + percent(c.share()),
                c.fallbacks() + " of the last " + c.answers() + " answers came from a fallback tier.",
                rateFields(route, c), now, now, 0, true);
    }

    private Map<String, String> rateFields(String route, FallbackRates.Crossing c) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("route", route);
        fields.put("fallback_rate", String.format(Locale.ROOT, "%.2f", c.share()));
        fields.put("threshold", String.format(Locale.ROOT, "%.2f", settings.fallbackRate()));
        fields.put("window", String.valueOf(c.answers()));
        return fields;
    }

    private void occurred(Alert draft, boolean lasting, Instant now, String requestId) {
        Incidents.Decision d = incidents.occurred(draft, lasting, now);
        if (d.send() != null) {
            deliver(d.send(), requestId);
        } else if (d.firstHeldBack()) {
            withRequestId(requestId, () -> log.info("Further {} alerts for {} are counted, not sent, until {}",
                    draft.kind().wireName(), draft.key(), d.heldUntil()));
        }
    }

    private void deliver(Alert alert, String requestId) {
        if (alert == null) {
            return;
        }
        withRequestId(requestId, () -> {
            log.warn("ALERT {} {}", alert.kind().wireName(), alert.summary());
            try {
                sink.send(alert);
            } catch (RuntimeException e) {
                log.warn("Alert sink failed: {}", e.toString());
            }
        });
    }

    /** MDC is a ThreadLocal and an event loop serves many requests: set it only around one log call. */
    private static void withRequestId(String requestId, Runnable logging) {
        if (requestId == null) {
            logging.run(); // not one request's: the log pattern's default (system) applies
            return;
        }
        MDC.put(LoggingListener.REQUEST_ID, requestId);
        try {
            logging.run();
        } finally {
            MDC.remove(LoggingListener.REQUEST_ID);
        }
    }

    /** Reasons come from pluggable detectors: mask anything sensitive and cap their size. */
    private static List<String> safeReasons(List<String> reasons) {
        List<String> out = new ArrayList<>(Math.min(reasons.size(), MAX_REASONS));
        for (String reason : reasons) {
            if (out.size() == MAX_REASONS) {
                break;
            }
            String masked = PromptSanitizer.sanitize(String.valueOf(reason));
            out.add(masked.length() > MAX_REASON_CHARS ? masked.substring(0, MAX_REASON_CHARS) + "..." : masked);
        }
        return out;
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }
}
