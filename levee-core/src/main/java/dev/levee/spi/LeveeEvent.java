package dev.levee.spi;

import dev.levee.AnomalyScore;
import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.spi.FailureKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened on the request path. The path emits these and knows nothing of where they go;
 * listeners turn them into logs, statistics, metrics and telemetry.
 */
public sealed interface LeveeEvent {
    /** The request this event belongs to, or {@code null} for events of no single request. */
    String requestId();

    Instant at();

    /**
     * A request was refused for its credential or its key's rights: no key, an unknown, malformed,
     * expired or revoked one, or a route the key may not use; or, reported by the gateway, an
     * endpoint of its own ({@code route} is then the path). Names the key by id when one was found —
     * never the credential itself.
     */
    record AccessDenied(String requestId, Instant at, String reason, String keyId, String route)
            implements LeveeEvent {
    }

    record RequestStarted(String requestId, Instant at, String route, ChatRequest request, boolean stream,
                          String promptHash, int promptLength, String sanitizedPrompt, String faultInjection)
            implements LeveeEvent {
    }

    record AttemptStarted(String requestId, Instant at, int tier, String target, int attempt) implements LeveeEvent {
    }

    /** One attempt failed; {@code retryDelayMs} &gt;= 0 when the same tier is retried after it. */
    record AttemptFailed(String requestId, Instant at, int tier, String target, int attempt, FailureKind kind,
                         int status, String error, double latencyMs, long retryDelayMs) implements LeveeEvent {
        public boolean willRetry() {
            return retryDelayMs >= 0;
        }
    }

    record AttemptSucceeded(String requestId, Instant at, int tier, String target, int attempt, double latencyMs)
            implements LeveeEvent {
    }

    /** A tier was passed over without an upstream call. */
    record TierSkipped(String requestId, Instant at, int tier, String target, SkipReason reason) implements LeveeEvent {
    }

    enum SkipReason {
        BREAKER_OPEN,
        FORCED_FAILURE,
        NO_TIME_LEFT,
        /** The target cannot honour something the request needs (tools, images, a JSON schema…). */
        UNSUPPORTED,
        /** The target has as many requests in flight as this request's priority may find there. */
        SATURATED,
        /** The tier is marked expensive and the gateway is degraded. */
        DEGRADED
    }

    /** The request moves on from a tier; {@code toTier} is the number of model tiers for the rule-based reply. */
    record FallbackTriggered(String requestId, Instant at, int fromTier, int toTier, String toTarget, String reason)
            implements LeveeEvent {
    }

    record RuleBasedReplyUsed(String requestId, Instant at, String matchedKeyword) implements LeveeEvent {
    }

    /** A streamed answer was cut after content was sent and continues on another tier from the partial text. */
    record StreamContinued(String requestId, Instant at, int fromTier, int toTier, String toTarget, int partialChars,
                           String reason) implements LeveeEvent {
    }

    record CircuitStateChanged(String requestId, Instant at, String target, String from, String to)
            implements LeveeEvent {
    }

    /**
     * A service levee itself depends on (the Redis of shared limits) stopped or started answering;
     * {@code detail} says what levee does meanwhile. Never carries credentials.
     */
    record DependencyChanged(String requestId, Instant at, String dependency, boolean up, String detail)
            implements LeveeEvent {
    }

    /** The gateway's degradation mode changed; {@code reason} says what it saw. */
    record DegradationChanged(String requestId, Instant at, dev.levee.DegradationMode from,
                              dev.levee.DegradationMode to, String reason) implements LeveeEvent {
    }

    /**
     * A request answered (by a model tier or the rule-based reply).
     *
     * @param ttftMs time to first token for a stream, {@code null} for a completion
     * @param breakerStates the state, after the request, of each target it touched
     * @param costNanos the exact cost in nano-dollars (USD x 10^-9) from the price table
     */
    record RequestCompleted(String requestId, Instant at, ChatRequest request, ChatResponse response, Double ttftMs,
                            boolean stream, AnomalyScore anomaly, Map<String, String> breakerStates, long costNanos)
            implements LeveeEvent {
    }

    /**
     * A request that got no answer: invalid, refused, unavailable, past its deadline, cancelled, or a
     * stream that failed after its commit point.
     *
     * @param request the request, {@code null} when it never got as far as routing
     * @param partialText what a failed or cancelled stream had already delivered
     */
    record RequestFailed(String requestId, Instant at, String route, ChatRequest request, LeveeException error,
                         double latencyMs, boolean stream, List<Attempt> attempts, Map<String, String> breakerStates,
                         Double ttftMs, String partialText) implements LeveeEvent {
    }
}
