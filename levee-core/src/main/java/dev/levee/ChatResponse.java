package dev.levee;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A complete answer and the story of how it was produced (model used, fallback level, attempts, usage).
 *
 * @param text the answer
 * @param modelUsed the model that answered, or {@value #RULE_BASED} for the rule-based reply
 * @param provider the provider that answered, {@code null} for the rule-based reply
 * @param route the route the request went to
 * @param usage token usage as the provider reported it
 * @param finishReason why the answer ended
 * @param latencyMs wall time from request start to the complete answer
 * @param fallbackLevel the index of the tier that answered; the rule-based reply has level = number of model tiers
 * @param requestId the correlation id
 * @param timestamp when the request completed
 * @param attempts every tier attempt, in order
 * @param toolCalls the functions the model asked to call, else empty
 * @param logprobs the provider's {@code logprobs} object for the answer, unchanged, or {@code null}
 * @param provenance the provider's id, creation time and fingerprint for the answer
 * @param notApplied request parameters the answering target had no equivalent for (hints only: a
 *        parameter that sets the answer's contract is never dropped — such a target is skipped)
 * @param embeddings for an embeddings request, one vector per input in order; else empty
 */
public record ChatResponse(
        String text,
        String modelUsed,
        String provider,
        String route,
        Usage usage,
        FinishReason finishReason,
        double latencyMs,
        int fallbackLevel,
        String requestId,
        Instant timestamp,
        List<Attempt> attempts,
        List<ToolCall> toolCalls,
        JsonNode logprobs,
        Provenance provenance,
        List<String> notApplied,
        List<float[]> embeddings) {

    public static final String RULE_BASED = "rule_based_fallback";

    public ChatResponse {
        attempts = List.copyOf(attempts);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        provenance = provenance == null ? Provenance.NONE : provenance;
        notApplied = notApplied == null ? List.of() : List.copyOf(notApplied);
        embeddings = embeddings == null ? List.of() : List.copyOf(embeddings);
    }

    /** An answer with everything but embeddings. */
    public ChatResponse(String text, String modelUsed, String provider, String route, Usage usage,
                        FinishReason finishReason, double latencyMs, int fallbackLevel, String requestId,
                        Instant timestamp, List<Attempt> attempts, List<ToolCall> toolCalls, JsonNode logprobs,
                        Provenance provenance, List<String> notApplied) {
        this(text, modelUsed, provider, route, usage, finishReason, latencyMs, fallbackLevel, requestId, timestamp,
                attempts, toolCalls, logprobs, provenance, notApplied, List.of());
    }

    /** A text answer with nothing but the story of how it was produced. */
    public ChatResponse(String text, String modelUsed, String provider, String route, Usage usage,
                        FinishReason finishReason, double latencyMs, int fallbackLevel, String requestId,
                        Instant timestamp, List<Attempt> attempts) {
        this(text, modelUsed, provider, route, usage, finishReason, latencyMs, fallbackLevel, requestId, timestamp,
                attempts, List.of(), null, Provenance.NONE, List.of());
    }

    public ChatResponse withUsage(Usage newUsage) {
        return new ChatResponse(text, modelUsed, provider, route, newUsage, finishReason, latencyMs, fallbackLevel,
                requestId, timestamp, attempts, toolCalls, logprobs, provenance, notApplied, embeddings);
    }

    /** Whether any tier other than the primary answered ({@code fallback_used}). */
    public boolean fallbackUsed() {
        return fallbackLevel > 0;
    }

    public boolean ruleBased() {
        return RULE_BASED.equals(modelUsed);
    }

    /** {@code tokens_used}: prompt and completion tokens together. */
    public int tokensUsed() {
        return usage.totalTokens();
    }
}
