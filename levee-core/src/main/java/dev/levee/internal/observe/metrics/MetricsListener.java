package dev.levee.internal.observe.metrics;

import dev.levee.Attempt;
import dev.levee.ChatResponse;
import dev.levee.config.LeveeConfig;
import dev.levee.internal.observe.BoundedNames;
import dev.levee.spi.LeveeEvent;
import dev.levee.internal.resilience.Breakers;
import dev.levee.spi.LeveeEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Events as Micrometer meters ({@code levee.*}; Prometheus shows {@code levee_*}). Tags are few and
 * bounded: route, provider, model, status, fallback level — never keys, users or request ids, since
 * each label value is a new series kept for the life of the process. Histograms rather than
 * client-side percentiles, so they aggregate.
 */
public final class MetricsListener implements LeveeEventListener {
    private static final String[] STATES = {"CLOSED", "OPEN", "HALF_OPEN"};

    private final MeterRegistry registry;
    private final Breakers breakers;
    private final double anomalyThreshold;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet(); // a failure may come without a start
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();
    /** The meters of each kind of answer and of each target, found with one lookup per request and attempt. */
    private final Map<AnswerKind, Answers> answers = new ConcurrentHashMap<>();
    private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();
    static final int MAX_OTHER_MODELS = 64;

    /** A meter's name and tags as a map key: no string built per lookup. */
    private record MeterKey(String name, List<String> tags) {
        MeterKey(String name, String[] tags) {
            this(name, Arrays.asList(tags));
        }
    }

    /** Routes are the configured ones; a caller's unknown alias is counted as {@code unknown}. */
    private final BoundedNames routes;
    /** Models: the configured ones, and a few more as upstreams report them (dated variants), then {@code other}. */
    private final BoundedNames models;

    public MetricsListener(MeterRegistry registry, Breakers breakers, double anomalyThreshold, LeveeConfig config) {
        this.registry = registry;
        this.breakers = breakers;
        this.anomalyThreshold = anomalyThreshold;
        this.routes = new BoundedNames(config.routes().keySet(), 0, "unknown");
        List<String> configured = new java.util.ArrayList<>();
        config.routes().values().forEach(r -> r.tiers().forEach(t -> configured.add(t.model())));
        configured.add(ChatResponse.RULE_BASED);
        this.models = new BoundedNames(configured, MAX_OTHER_MODELS, "other");
        Gauge.builder("levee.requests.in_flight", inFlight, Set::size)
                .description("Requests being served").register(registry);
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.RequestStarted e) {
            inFlight.add(e.requestId());
        } else if (event instanceof LeveeEvent.RequestCompleted e) {
            inFlight.remove(e.requestId());
            completed(e);
        } else if (event instanceof LeveeEvent.RequestFailed e) {
            inFlight.remove(e.requestId());
            String status = e.error().kind().name().toLowerCase(Locale.ROOT);
            String route = routes.of(e.route());
            counter("levee.requests", "route", route, "provider", "none", "model", "none", "status", status,
                    "fallback_level", "none").increment();
            timer("levee.request.duration", "route", route, "status", status)
                    .record((long) (e.latencyMs() * 1e6), TimeUnit.NANOSECONDS);
            e.attempts().forEach(this::upstream);
        } else if (event instanceof LeveeEvent.AttemptFailed e && e.willRetry()) {
            int slash = e.target().indexOf('/');
            counter("levee.retries", "provider", e.target().substring(0, slash), "model",
                    e.target().substring(slash + 1)).increment();
        } else if (event instanceof LeveeEvent.FallbackTriggered e) {
            counter("levee.fallbacks", "to_level", String.valueOf(e.toTier())).increment();
        } else if (event instanceof LeveeEvent.CircuitStateChanged e) {
            upstream(e.target()); // registers the target's breaker gauges, if its first attempt has not
        }
    }

    private void completed(LeveeEvent.RequestCompleted e) {
        ChatResponse r = e.response();
        AnswerKind kind = new AnswerKind(routes.of(r.route()), r.provider() == null ? "none" : r.provider(),
                models.of(r.modelUsed()), r.fallbackLevel());
        Answers m = answers.get(kind);
        if (m == null) {
            m = answers.computeIfAbsent(kind, Answers::new);
        }
        m.requests.increment();
        m.duration.record((long) (r.latencyMs() * 1e6), TimeUnit.NANOSECONDS);
        if (e.ttftMs() != null) {
            m.ttft().record((long) (e.ttftMs() * 1e6), TimeUnit.NANOSECONDS);
        }
        if (r.usage().promptTokens() > 0) {
            m.promptTokens().increment(r.usage().promptTokens());
        }
        if (r.usage().completionTokens() > 0) {
            m.completionTokens().increment(r.usage().completionTokens());
        }
        if (e.costNanos() > 0) {
            // Prometheus counters are doubles; exact sums live in telemetry and the statistics.
            m.cost().increment(e.costNanos() / 1e9);
        }
        if (e.anomaly().score() > anomalyThreshold) {
            m.anomalies().increment();
        }
        r.attempts().forEach(this::upstream);
    }

    private void upstream(Attempt a) {
        if (a.outcome() != Attempt.Outcome.SUCCEEDED && a.outcome() != Attempt.Outcome.FAILED) {
            return;
        }
        upstream(a.target()).duration(a.outcome() == Attempt.Outcome.SUCCEEDED)
                .record((long) (a.latencyMs() * 1e6), TimeUnit.NANOSECONDS);
    }

    private Upstream upstream(String target) {
        Upstream u = upstreams.get(target);
        return u != null ? u : upstreams.computeIfAbsent(target, Upstream::new);
    }

    /**
     * What tells one answer's meters from another's: its label values, bounded as the labels are, so
     * that the kinds are as few as the series.
     */
    private record AnswerKind(String route, String provider, String model, int fallbackLevel) {
    }

    /**
     * The meters an answer of one kind moves. Those that not every answer moves (time to first token,
     * tokens, cost, anomalies) are registered on first use, as a series appears in the exposition only
     * once it has counted something.
     */
    private final class Answers {
        final String route;
        final String provider;
        final String model;
        final Counter requests;
        final Timer duration;
        private volatile Timer ttft;
        private volatile Counter promptTokens;
        private volatile Counter completionTokens;
        private volatile Counter cost;
        private volatile Counter anomalies;

        Answers(AnswerKind kind) {
            route = kind.route();
            provider = kind.provider();
            model = kind.model();
            requests = counter("levee.requests", "route", route, "provider", provider, "model", model, "status", "ok",
                    "fallback_level", String.valueOf(kind.fallbackLevel()));
            duration = timer("levee.request.duration", "route", route, "status", "ok");
        }

        Timer ttft() {
            Timer t = ttft;
            return t != null ? t : (ttft = timer("levee.time_to_first_token", "route", route, "model", model));
        }

        Counter promptTokens() {
            Counter c = promptTokens;
            return c != null ? c
                    : (promptTokens = counter("levee.tokens", "provider", provider, "model", model, "type", "prompt"));
        }

        Counter completionTokens() {
            Counter c = completionTokens;
            return c != null ? c : (completionTokens = counter("levee.tokens", "provider", provider, "model", model,
                    "type", "completion"));
        }

        Counter cost() {
            Counter c = cost;
            return c != null ? c : (cost = counter("levee.cost.usd", "provider", provider, "model", model));
        }

        Counter anomalies() {
            Counter c = anomalies;
            return c != null ? c : (anomalies = counter("levee.anomalies", "model", model));
        }
    }

    /**
     * A target's attempt timers, each registered on first use, and its breaker gauges: one gauge per
     * state, 1 for the state it is in. Targets are the configured ones, so these are few.
     */
    private final class Upstream {
        final String provider;
        final String model;
        private volatile Timer success;
        private volatile Timer failure;

        Upstream(String target) {
            int slash = target.indexOf('/');
            provider = target.substring(0, slash);
            model = target.substring(slash + 1);
            for (String state : STATES) {
                Gauge.builder("levee.breaker.state", () -> breakers.forTarget(target).state().equals(state) ? 1 : 0)
                        .description("1 when the target's circuit breaker is in this state")
                        .tag("target", target).tag("state", state.toLowerCase(Locale.ROOT)).register(registry);
            }
        }

        Timer duration(boolean succeeded) {
            Timer t = succeeded ? success : failure;
            if (t == null) {
                t = timer("levee.upstream.duration", "provider", provider, "model", model, "outcome",
                        succeeded ? "success" : "failure");
                if (succeeded) {
                    success = t;
                } else {
                    failure = t;
                }
            }
            return t;
        }
    }

    private static final Map<String, String> HELP = Map.of(
            "levee.requests", "Requests answered or failed, by route, provider, model, status and fallback level",
            "levee.retries", "Upstream attempts retried after a retryable failure",
            "levee.fallbacks", "Requests that moved on to a later tier (the rule-based reply is the last level)",
            "levee.tokens", "Tokens as the provider reported them (or estimated), by type",
            "levee.cost.usd", "Cost in USD from the price table",
            "levee.anomalies", "Responses whose anomaly score exceeded the threshold",
            "levee.request.duration", "Time from request start to the complete answer",
            "levee.upstream.duration", "Time of each upstream attempt, by outcome",
            "levee.time_to_first_token", "Time from request start to the first streamed token");

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(new MeterKey(name, tags),
                k -> Counter.builder(name).description(HELP.get(name)).tags(tags).register(registry));
    }

    private Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(new MeterKey(name, tags), k -> Timer.builder(name)
                .description(HELP.get(name)).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry));
    }
}
