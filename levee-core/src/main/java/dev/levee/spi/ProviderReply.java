package dev.levee.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.ToolCall;
import dev.levee.Usage;
import java.util.List;

/**
 * A provider's complete answer.
 *
 * @param text the answer
 * @param model the model as the provider reported it
 * @param usage reported usage, or {@code null} when the provider reported none
 * @param finishReason why it ended
 * @param toolCalls the functions the model asked to call, possibly empty
 * @param logprobs the provider's {@code logprobs} object, or {@code null}
 * @param provenance the provider's id, creation time and fingerprint
 * @param embeddings for an embeddings call, one vector per input in order; empty otherwise
 */
public record ProviderReply(String text, String model, Usage usage, FinishReason finishReason, List<ToolCall> toolCalls,
                            JsonNode logprobs, Provenance provenance, List<float[]> embeddings) {
    public ProviderReply {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        provenance = provenance == null ? Provenance.NONE : provenance;
        embeddings = embeddings == null ? List.of() : List.copyOf(embeddings);
    }

    public ProviderReply(String text, String model, Usage usage, FinishReason finishReason, List<ToolCall> toolCalls,
                         JsonNode logprobs, Provenance provenance) {
        this(text, model, usage, finishReason, toolCalls, logprobs, provenance, List.of());
    }

    /** An embeddings call's answer. */
    public static ProviderReply embeddings(String model, Usage usage, List<float[]> vectors) {
        return new ProviderReply("", model, usage, FinishReason.STOP, List.of(), null, Provenance.NONE, vectors);
    }

    public ProviderReply(String text, String model, Usage usage, FinishReason finishReason) {
        this(text, model, usage, finishReason, List.of(), null, Provenance.NONE);
    }
}
