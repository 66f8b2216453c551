package dev.levee.otel;

import static dev.levee.otel.TraceAttributes.*;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.config.TierConfig;
import dev.levee.spi.LeveeEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spans of one request: the request span and its current attempt span. Events of one request
 * arrive in order on one thread, so the fields need no locking.
 */
final class RequestTrace {
    private static final int MAX_DESCRIPTION = 256;

    private final Tracer tracer;
    private final Targets targets;
    private final boolean captureContent;
    private final Span span;
    private final Context context;
    private final String route;
    private final ChatRequest request;
    private final long startedAtMillis;
    /** The attempt in flight. */
    private Span attempt;
    /** The attempt that answered: ended at {@link #answeredAt} once the response is known. */
    private Span answered;
    private Instant answeredAt;

    private RequestTrace(Tracer tracer, Targets targets, boolean captureContent, Span span, String route,
                         ChatRequest request, Instant at) {
        this.tracer = tracer;
        this.targets = targets;
        this.captureContent = captureContent;
        this.span = span;
        this.context = Context.root().with(span);
        this.route = route;
        this.request = request;
        this.startedAtMillis = at.toEpochMilli();
    }

    /**
     * Opens the request span: a SERVER child of the caller's span when a valid W3C traceparent came
     * with the request (the call crossed a process boundary into levee), else an INTERNAL root.
     *
     * @param request may be {@code null} for a request that failed before routing
     */
    static RequestTrace open(Tracer tracer, Targets targets, boolean captureContent, String requestId, Instant at,
                             String route, ChatRequest request, boolean stream) {
        SpanBuilder b = tracer.spanBuilder(CHAT + " " + route)
                .setStartTimestamp(at)
                .setAttribute(OPERATION_NAME, CHAT)
                .setAttribute(REQUEST_MODEL, route)
                .setAttribute(ROUTE, route)
                .setAttribute(REQUEST_ID, requestId)
                .setAttribute(STREAM, stream);
        Context parent = request == null ? null : remoteParent(request.options().traceParent());
        if (parent == null) {
            b.setNoParent().setSpanKind(SpanKind.INTERNAL);
        } else {
            b.setParent(parent).setSpanKind(SpanKind.SERVER);
        }
        if (request != null) {
            parameters(b, request.maxTokens(), request.temperature(), request.topP());
            if (captureContent) {
                b.setAttribute(INPUT_MESSAGES, ContentJson.input(request.messages()));
            }
        }
        return new RequestTrace(tracer, targets, captureContent, b.startSpan(), route, request, at);
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    void faultInjection(String description) {
        span.setAttribute(FAULT_INJECTION, description);
    }

    void attemptStarted(LeveeEvent.AttemptStarted e) {
        endAttempt(null, e.at()); // an attempt never overlaps the next one
        attempt = startAttempt(e.tier(), e.target(), e.attempt(), e.at());
    }

    void attemptSucceeded(LeveeEvent.AttemptSucceeded e) {
        Span s = current(e.tier(), e.target(), e.attempt(), e.at(), e.latencyMs());
        attempt = null;
        if (answered != null) {
            answered.end(answeredAt);
        }
        answered = s;
        answeredAt = e.at();
    }

    void attemptFailed(LeveeEvent.AttemptFailed e) {
        Span s = current(e.tier(), e.target(), e.attempt(), e.at(), e.latencyMs());
        attempt = null;
        String errorType = e.kind().name().toLowerCase(Locale.ROOT);
        s.setAttribute(ERROR_TYPE, errorType);
        if (e.status() > 0) {
            s.setAttribute(HTTP_STATUS, e.status());
        }
        s.setStatus(StatusCode.ERROR, describe(e.error()));
        if (e.willRetry()) {
            s.setAttribute(RETRY_DELAY_MS, e.retryDelayMs());
            span.addEvent("retry", Attributes.of(TIER, (long) e.tier(), ATTEMPT, (long) e.attempt(),
                    RETRY_DELAY_MS, e.retryDelayMs(), ERROR_TYPE, errorType), e.at());
        }
        s.end(e.at());
    }

    void tierSkipped(LeveeEvent.TierSkipped e) {
        String reason = e.reason().name().toLowerCase(Locale.ROOT);
        Attributes attributes = e.reason() == LeveeEvent.SkipReason.BREAKER_OPEN
                ? Attributes.of(TIER, (long) e.tier(), TARGET, e.target(), SKIP_REASON, reason, BREAKER_STATE, "OPEN")
                : Attributes.of(TIER, (long) e.tier(), TARGET, e.target(), SKIP_REASON, reason);
        span.addEvent("tier_skipped", attributes, e.at());
    }

    void fallbackTriggered(LeveeEvent.FallbackTriggered e) {
        span.addEvent("fallback", Attributes.of(FROM_TIER, (long) e.fromTier(), TO_TIER, (long) e.toTier(),
                TO_TARGET, e.toTarget(), FALLBACK_REASON, e.reason()), e.at());
    }

    void ruleBasedReplyUsed(LeveeEvent.RuleBasedReplyUsed e) {
        span.addEvent("rule_based_reply", e.at());
    }

    /** A cut stream goes on at another tier: that continuation is an attempt of its own. */
    void streamContinued(LeveeEvent.StreamContinued e) {
        span.addEvent("stream_continued", Attributes.of(FROM_TIER, (long) e.fromTier(), TO_TIER, (long) e.toTier(),
                TO_TARGET, e.toTarget(), PARTIAL_CHARS, (long) e.partialChars(), FALLBACK_REASON, e.reason()), e.at());
        endAttempt(null, e.at());
        attempt = startAttempt(e.toTier(), e.toTarget(), 1, e.at());
        attempt.setAttribute(CONTINUATION, true);
    }

    void completed(LeveeEvent.RequestCompleted e) {
        ChatResponse r = e.response();
        endAttempt("incomplete", e.at());
        if (answered != null) {
            response(answered, r);
            answered.end(answeredAt);
            answered = null;
        }
        response(span, r);
        if (r.provider() != null) {
            span.setAttribute(PROVIDER_NAME, targets.genAiProvider(r.provider()));
        }
        span.setAttribute(FALLBACK_LEVEL, r.fallbackLevel());
        span.setAttribute(ANOMALY_SCORE, e.anomaly().score());
        if (!e.anomaly().reasons().isEmpty()) {
            span.setAttribute(ANOMALY_REASONS, e.anomaly().reasons());
        }
        span.setAttribute(COST_USD, e.costNanos() / 1e9);
        if (r.usage().estimated()) {
            span.setAttribute(USAGE_ESTIMATED, true);
        }
        common(e.breakerStates(), e.ttftMs());
        if (captureContent) {
            span.setAttribute(OUTPUT_MESSAGES, ContentJson.output(r.text(), r.finishReason().wireName()));
        }
        span.end(e.at());
    }

    void failed(LeveeEvent.RequestFailed e) {
        String errorType = e.error().kind().name().toLowerCase(Locale.ROOT);
        endAttempt(errorType, e.at()); // e.g. a cancelled call: its attempt gets no event of its own
        if (answered != null) {
            answered.end(answeredAt);
            answered = null;
        }
        span.setAttribute(ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR, describe(e.error().getMessage()));
        common(e.breakerStates(), e.ttftMs());
        if (captureContent && e.partialText() != null) {
            span.setAttribute(OUTPUT_MESSAGES, ContentJson.output(e.partialText(), "error"));
        }
        span.end(e.at());
    }

    /** Ends everything when no terminal event came in time, so nothing stays open forever. */
    void abandon(Instant at) {
        endAttempt("incomplete", at);
        if (answered != null) {
            answered.end(answeredAt);
            answered = null;
        }
        span.setAttribute(ERROR_TYPE, "incomplete");
        span.setStatus(StatusCode.ERROR, "no terminal event for this request");
        span.end(at);
    }

    private Span startAttempt(int tier, String target, int attemptNo, Instant at) {
        String model = Targets.model(target);
        TierConfig config = targets.tier(route, tier);
        SpanBuilder b = tracer.spanBuilder(CHAT + " " + model)
                .setParent(context)
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(at)
                .setAttribute(OPERATION_NAME, CHAT)
                .setAttribute(PROVIDER_NAME, targets.genAiProvider(Targets.provider(target)))
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(TARGET, target)
                .setAttribute(TIER, tier)
                .setAttribute(ATTEMPT, attemptNo);
        if (request != null) {
            parameters(b, Targets.maxTokens(request, config), Targets.temperature(request, config),
                    Targets.topP(request, config));
        }
        return b.startSpan();
    }

    /** The open attempt, or one rebuilt from the outcome's latency when its start was not seen. */
    private Span current(int tier, String target, int attemptNo, Instant at, double latencyMs) {
        if (attempt != null) {
            return attempt;
        }
        return startAttempt(tier, target, attemptNo, at.minusNanos((long) (latencyMs * 1e6)));
    }

    private void endAttempt(String errorType, Instant at) {
        if (attempt == null) {
            return;
        }
        if (errorType != null) {
            attempt.setAttribute(ERROR_TYPE, errorType);
            attempt.setStatus(StatusCode.ERROR);
        }
        attempt.end(at);
        attempt = null;
    }

    private void common(Map<String, String> breakerStates, Double ttftMs) {
        if (!breakerStates.isEmpty()) {
            List<String> states = new ArrayList<>(breakerStates.size());
            breakerStates.forEach((target, state) -> states.add(target + "=" + state));
            span.setAttribute(BREAKER_STATES, states);
        }
        if (ttftMs != null) {
            span.setAttribute(TTFT_MS, ttftMs);
        }
    }

    private static void response(Span s, ChatResponse r) {
        s.setAttribute(RESPONSE_MODEL, r.modelUsed());
        s.setAttribute(RESPONSE_ID, r.requestId());
        s.setAttribute(RESPONSE_FINISH_REASONS, List.of(r.finishReason().wireName()));
        s.setAttribute(USAGE_INPUT_TOKENS, r.usage().promptTokens());
        s.setAttribute(USAGE_OUTPUT_TOKENS, r.usage().completionTokens());
    }

    private static void parameters(SpanBuilder b, Integer maxTokens, Double temperature, Double topP) {
        if (maxTokens != null) {
            b.setAttribute(REQUEST_MAX_TOKENS, maxTokens);
        }
        if (temperature != null) {
            b.setAttribute(REQUEST_TEMPERATURE, temperature);
        }
        if (topP != null) {
            b.setAttribute(REQUEST_TOP_P, topP);
        }
    }

    private static String describe(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_DESCRIPTION ? message : message.substring(0, MAX_DESCRIPTION) + "…";
    }

    /** The caller's span from a W3C traceparent, or {@code null} when there is none or it is invalid. */
    static Context remoteParent(String traceParent) {
        if (traceParent == null || traceParent.isEmpty()) {
            return null;
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, TRACEPARENT);
        return Span.fromContext(extracted).getSpanContext().isValid() ? extracted : null;
    }

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };
}
