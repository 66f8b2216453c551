package dev.levee.internal.observe;

import dev.levee.ChatResponse;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEvent.AccessDenied;
import dev.levee.spi.LeveeEvent.AttemptFailed;
import dev.levee.spi.LeveeEvent.AttemptStarted;
import dev.levee.spi.LeveeEvent.AttemptSucceeded;
import dev.levee.spi.LeveeEvent.CircuitStateChanged;
import dev.levee.spi.LeveeEvent.FallbackTriggered;
import dev.levee.spi.LeveeEvent.RequestCompleted;
import dev.levee.spi.LeveeEvent.RequestFailed;
import dev.levee.spi.LeveeEvent.RequestStarted;
import dev.levee.spi.LeveeEvent.RuleBasedReplyUsed;
import dev.levee.spi.LeveeEvent.StreamContinued;
import dev.levee.spi.LeveeEvent.TierSkipped;
import dev.levee.spi.LeveeEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The request lifecycle as log lines. Each line carries its request id in the MDC key
 * {@value #REQUEST_ID}, set only around the synchronous logging call: MDC is a ThreadLocal and an
 * event loop serves many requests.
 */
public final class LoggingListener implements LeveeEventListener {
    public static final String REQUEST_ID = "request_id";

    private static final Logger requests = LoggerFactory.getLogger("levee.request");
    private static final Logger router = LoggerFactory.getLogger("levee.router");
    private static final Logger breaker = LoggerFactory.getLogger("levee.breaker");
    private static final Logger fallback = LoggerFactory.getLogger("levee.fallback");
    private static final Logger performance = LoggerFactory.getLogger("levee.performance");

    private final double anomalyThreshold;

    /** A client's mistakes: worth a line, not a line each when a client sends thousands. */
    private static final java.util.Set<dev.levee.LeveeException.Kind> CALLER_ERRORS = java.util.EnumSet.of(
            dev.levee.LeveeException.Kind.INVALID_REQUEST, dev.levee.LeveeException.Kind.UNKNOWN_ROUTE,
            dev.levee.LeveeException.Kind.UNAUTHENTICATED, dev.levee.LeveeException.Kind.FORBIDDEN,
            dev.levee.LeveeException.Kind.RATE_LIMITED, dev.levee.LeveeException.Kind.BUDGET_EXCEEDED);
    /** At most one refused-request line per this many nanoseconds; the ones in between are counted. */
    static final long REFUSED_LINE_INTERVAL_NANOS = 1_000_000_000L;
    private final java.util.concurrent.atomic.AtomicLong nextRefusedLine =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    private final java.util.concurrent.atomic.AtomicLong refusedUnlogged = new java.util.concurrent.atomic.AtomicLong();

    public LoggingListener(double anomalyThreshold) {
        this.anomalyThreshold = anomalyThreshold;
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event.requestId() == null) {
            log(event); // not one request's: the log pattern's default (system) applies
            return;
        }
        try (var ignored = MDC.putCloseable(REQUEST_ID, event.requestId())) {
            log(event);
        }
    }

    private void log(LeveeEvent event) {
        if (event instanceof RequestStarted e) {
            // DEBUG: at INFO a request is one line, its completion (or failure).
            if (requests.isDebugEnabled()) {
                String prompt = e.sanitizedPrompt() != null ? "prompt='" + abbreviate(e.sanitizedPrompt(), 80) + "'"
                        : e.promptHash() != null ? "prompt_hash=" + e.promptHash() + " prompt_length=" + e.promptLength()
                        : "prompt_length=" + e.promptLength();
                requests.debug("Processing request route={} stream={} {}", e.route(), e.stream(), prompt);
            }
            if (e.faultInjection() != null) {
                requests.info("Test flags active: {}", e.faultInjection());
            }
        } else if (event instanceof AttemptStarted e) {
            // The first attempt at the primary is the normal case: the completion line says enough.
            if (e.tier() > 0 || e.attempt() > 1) {
                router.debug("Attempting tier {} {} (attempt {})", e.tier(), e.target(), e.attempt());
            }
        } else if (event instanceof AttemptSucceeded e) {
            if (router.isTraceEnabled()) {
                router.trace("Tier {} {} answered in {} ms", e.tier(), e.target(), String.format("%.1f", e.latencyMs()));
            }
        } else if (event instanceof AttemptFailed e) {
            String retry = e.willRetry() ? "; retrying in " + e.retryDelayMs() + " ms" : "";
            router.warn("Tier {} {} failed ({}{}): {}{}", e.tier(), e.target(), e.kind(),
                    e.status() > 0 ? " " + e.status() : "", e.error(), retry);
        } else if (event instanceof TierSkipped e) {
            switch (e.reason()) {
                case BREAKER_OPEN -> breaker.warn("Circuit open for {}: skipping tier {} without calling it",
                        e.target(), e.tier());
                case FORCED_FAILURE -> router.info("Simulating failure of tier {} {} (fault injection)", e.tier(),
                        e.target());
                default -> router.warn("No time left in the deadline for tier {} {}", e.tier(), e.target());
            }
        } else if (event instanceof FallbackTriggered e) {
            fallback.warn("Falling back from tier {} to tier {} ({}) after {}", e.fromTier(), e.toTier(),
                    e.toTarget(), e.reason());
        } else if (event instanceof RuleBasedReplyUsed e) {
            fallback.warn("Using rule-based fallback{}",
                    e.matchedKeyword() == null ? " (generic reply)" : " (keyword '" + e.matchedKeyword() + "')");
        } else if (event instanceof StreamContinued e) {
            fallback.warn("Stream from tier {} cut after {} chars ({}): continuing on tier {} {} from the partial answer",
                    e.fromTier(), e.partialChars(), e.reason(), e.toTier(), e.toTarget());
        } else if (event instanceof AccessDenied e) {
            // the key id only: a credential never reaches an event
            requests.warn("Access denied reason={} key_id={}{}", e.reason(), e.keyId() == null ? "-" : e.keyId(),
                    e.route() == null ? "" : " route=" + e.route());
        } else if (event instanceof LeveeEvent.DegradationChanged e) {
            if (e.to().compareTo(e.from()) > 0) {
                breaker.error("Degradation mode {} -> {}: {}", e.from().wireName(), e.to().wireName(), e.reason());
            } else {
                breaker.warn("Degradation mode {} -> {}: {}", e.from().wireName(), e.to().wireName(), e.reason());
            }
        } else if (event instanceof CircuitStateChanged e) {
            if ("OPEN".equals(e.to())) {
                breaker.error("Circuit breaker for {} changed {} -> {}", e.target(), e.from(), e.to());
            } else {
                breaker.warn("Circuit breaker for {} changed {} -> {}", e.target(), e.from(), e.to());
            }
        } else if (event instanceof RequestCompleted e) {
            ChatResponse r = e.response();
            // One line per answered request, with its performance fields.
            if (e.anomaly().score() > anomalyThreshold) {
                performance.warn("Request processed in {} ms: model={} tier={} fallback_used={} tokens={} cost=${} "
                                + "anomaly_score={} finish={}", format(r.latencyMs()), r.modelUsed(), r.fallbackLevel(),
                        r.fallbackUsed(), r.tokensUsed(), dev.levee.config.PriceTable.usd(e.costNanos()).toPlainString(),
                        format(e.anomaly().score()), r.finishReason().wireName());
                performance.warn("ANOMALY DETECTED: Unusual performance characteristics for request {}: {}",
                        e.requestId(), String.join("; ", e.anomaly().reasons()));
            } else if (requests.isInfoEnabled()) {
                requests.info("Request processed in {} ms: model={} tier={} fallback_used={} tokens={} cost=${} "
                                + "anomaly_score={} finish={}", format(r.latencyMs()), r.modelUsed(), r.fallbackLevel(),
                        r.fallbackUsed(), r.tokensUsed(), dev.levee.config.PriceTable.usd(e.costNanos()).toPlainString(),
                        format(e.anomaly().score()), r.finishReason().wireName());
            }
        } else if (event instanceof RequestFailed e) {
            if (e.error().kind() == dev.levee.LeveeException.Kind.CANCELLED) {
                requests.info("Request cancelled by the caller after {} ms", String.format("%.2f", e.latencyMs()));
            } else if (CALLER_ERRORS.contains(e.error().kind())) {
                refused(e);
            } else {
                requests.error("Request failed after {} ms: {} ({})", String.format("%.2f", e.latencyMs()),
                        e.error().getMessage(), e.error().kind());
            }
        }
    }

    /** A refused request: a WARN, at most one a second, saying how many were refused unlogged since. */
    private void refused(RequestFailed e) {
        long now = System.nanoTime();
        long next = nextRefusedLine.get();
        if (now - next < 0 || !nextRefusedLine.compareAndSet(next, now + REFUSED_LINE_INTERVAL_NANOS)) {
            refusedUnlogged.incrementAndGet();
            return;
        }
        long more = refusedUnlogged.getAndSet(0);
        requests.warn("Request refused: {} ({}){}", e.error().getMessage(), e.error().kind(),
                more == 0 ? "" : " — and " + more + " more refused since the last such line");
    }

    /** Two decimals without String.format's cost. */
    static String format(double v) {
        long hundredths = Math.round(v * 100);
        long abs = Math.abs(hundredths);
        String frac = String.valueOf(abs % 100);
        return (hundredths < 0 ? "-" : "") + abs / 100 + "." + (frac.length() == 1 ? "0" + frac : frac);
    }

    private static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }
}
