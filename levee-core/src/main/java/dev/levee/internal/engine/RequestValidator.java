package dev.levee.internal.engine;

import dev.levee.ChatRequest;
import dev.levee.LeveeException;
import dev.levee.Message;
import dev.levee.Role;
import dev.levee.spi.Reply;
import dev.levee.spi.Interceptor;
import io.vertx.core.Future;

/** The first step of the pipeline: a request levee cannot serve is refused before any upstream call. */
final class RequestValidator implements Interceptor {
    static final int MAX_STOP_SEQUENCES = 4;

    @Override
    public Future<Reply> intercept(Chain chain) {
        String problem = chain.request().isEmbedding() ? embeddingProblem(chain.request(), chain.context().stream())
                : problem(chain.request());
        if (problem != null) {
            return Future.failedFuture(new LeveeException(LeveeException.Kind.INVALID_REQUEST, problem,
                    chain.context().requestId()));
        }
        return chain.proceed(chain.request());
    }

    /** An embeddings request carries its input and nothing of a chat; it is never streamed. */
    static String embeddingProblem(ChatRequest r, boolean stream) {
        if (stream) {
            return "an embeddings request cannot be streamed";
        }
        if (!r.messages().isEmpty() || r.maxTokens() != null || r.temperature() != null || r.topP() != null
                || !r.stop().isEmpty() || !r.tools().isEmpty() || r.toolChoice() != null || r.responseFormat() != null
                || r.logprobs() != null || r.topLogprobs() != null || !r.extra().isEmpty()) {
            return "an embeddings request takes input (and dimensions) only, no chat messages or parameters";
        }
        return null;
    }

    static String problem(ChatRequest r) {
        if (r.messages().isEmpty()) {
            return "messages must contain at least one message";
        }
        boolean hasNonSystem = false;
        for (Message m : r.messages()) {
            hasNonSystem |= !m.role().instructs();
        }
        if (!hasNonSystem) {
            return "messages must contain at least one user or assistant message";
        }
        if (r.maxTokens() != null && r.maxTokens() < 1) {
            return "max_tokens must be >= 1";
        }
        if (r.temperature() != null && (r.temperature() < 0 || r.temperature() > 2 || r.temperature().isNaN())) {
            return "temperature must be between 0 and 2";
        }
        if (r.topP() != null && (r.topP() <= 0 || r.topP() > 1 || r.topP().isNaN())) {
            return "top_p must be greater than 0 and at most 1";
        }
        if (r.stop().size() > MAX_STOP_SEQUENCES) {
            return "stop may contain at most " + MAX_STOP_SEQUENCES + " sequences";
        }
        return null;
    }
}
