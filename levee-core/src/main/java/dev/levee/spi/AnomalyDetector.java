package dev.levee.spi;

import dev.levee.AnomalyScore;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;

/**
 * Scores each answered request. Called once per completed request on its event loop, before the
 * completion event is emitted, so every listener sees the same score. Must be fast and thread-safe.
 */
@FunctionalInterface
public interface AnomalyDetector {
    AnomalyDetector NONE = (request, response, ttftMs) -> AnomalyScore.NONE;

    /**
     * @param ttftMs time to first token for a stream, {@code null} for a completion
     */
    AnomalyScore score(ChatRequest request, ChatResponse response, Double ttftMs);
}
