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
        String problem = problem(chain.request());
        if (problem != null) {
            return Future.failedFuture(new LeveeException(LeveeException.Kind.INVALID_REQUEST, problem,
                    chain.context().requestId()));
        }
        return chain.proceed(chain.request());
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
