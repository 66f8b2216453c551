package dev.levee.spi;

import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import io.vertx.core.Future;

/** What the chain produces: a complete answer, or a stream that has already produced content. */
public sealed interface Reply {
    record Complete(ChatResponse response) implements Reply {
    }

    record Streaming(LiveStream stream) implements Reply {
    }

    /**
     * A link's view of how a request ends, on the way back. Exactly one method is called, once: for a
     * complete answer when it passes, for a stream when it ends, fails or is cancelled.
     */
    interface Settlement {
        /** The answer on its way up; return it, or a changed copy for the links above. */
        default ChatResponse answered(ChatResponse response) {
            return response;
        }

        /**
         * No answer: refused, unavailable, past its deadline, cancelled, or a stream that failed after
         * its commit point.
         *
         * @param partialText what a stream had already delivered to the caller; {@code null} when no
         *        stream had started
         */
        default void failed(LeveeException error, String partialText) {
        }
    }

    /**
     * The reply {@code reply} will be, with {@code settlement} told how the request ended. A failure
     * that is not a {@link LeveeException} (a bug in a link) reaches it as an internal error.
     */
    static Future<Reply> settle(Future<Reply> reply, Settlement settlement, String requestId) {
        return reply.transform(ar -> {
            if (ar.failed()) {
                LeveeException error = LeveeException.wrap(ar.cause(), requestId);
                settlement.failed(error, null);
                return Future.failedFuture(error);
            }
            if (ar.result() instanceof Complete c) {
                return Future.succeededFuture(new Complete(settlement.answered(c.response())));
            }
            Streaming s = (Streaming) ar.result();
            return Future.succeededFuture(new Streaming(new SettlingStream(s.stream(), settlement, requestId)));
        });
    }
}
