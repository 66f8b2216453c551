package dev.levee.spi;

import dev.levee.FinishReason;
import dev.levee.Usage;

/**
 * A provider's complete answer.
 *
 * @param text the answer
 * @param model the model as the provider reported it
 * @param usage reported usage, or {@code null} when the provider reported none
 * @param finishReason why it ended
 */
public record ProviderReply(String text, String model, Usage usage, FinishReason finishReason) {
}
