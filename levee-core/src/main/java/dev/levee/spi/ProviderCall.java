package dev.levee.spi;

import dev.levee.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream call, with the tier's parameter caps already applied.
 *
 * @param model the provider's model name
 * @param messages the conversation; a trailing assistant message is a prefill to continue
 * @param maxTokens output limit or {@code null}
 * @param temperature or {@code null}
 * @param topP or {@code null}
 * @param stop stop sequences
 * @param timeout the whole attempt's budget (non-streaming) or the wait for the first token (streaming)
 * @param idleTimeout the longest silence between streamed chunks
 * @param requestId for correlation headers and logs
 * @param headers extra request headers (e.g. a simulator fault header)
 * @param abandoned completes when the caller gives up: the adapter then resets the upstream request
 */
public record ProviderCall(String model, List<Message> messages, Integer maxTokens, Double temperature, Double topP,
                           List<String> stop, Duration timeout, Duration idleTimeout, String requestId,
                           Map<String, String> headers, Future<Void> abandoned) {
    public ProviderCall {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
        headers = Map.copyOf(headers);
        abandoned = abandoned == null ? Promise.<Void>promise().future() : abandoned;
    }
}
