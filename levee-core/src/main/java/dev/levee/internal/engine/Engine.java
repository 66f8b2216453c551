package dev.levee.internal.engine;

import dev.levee.Call;
import dev.levee.ChatRequest;
import dev.levee.LimitStatus;
import dev.levee.RequestIds;
import dev.levee.internal.limits.Limits;
import dev.levee.Ticker;
import dev.levee.internal.chain.RequestChain;
import dev.levee.internal.chain.RequestState;
import dev.levee.spi.Reply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * The request lifecycle both faces share, the library facade and the HTTP gateway: a request gets its
 * id and context, runs along the {@linkplain RequestPath chain} on a Vert.x context, and its reply
 * comes back on that context. Nothing here blocks.
 */
public final class Engine {
    private final Vertx vertx;
    private final RequestChain chain;
    private final Clock clock;
    private final Ticker ticker;

    Engine(Vertx vertx, RequestChain chain, Clock clock, Ticker ticker) {
        this.vertx = vertx;
        this.chain = chain;
        this.clock = clock;
        this.ticker = ticker;
    }

    /**
     * Runs a request. The reply completes on a Vert.x event loop: with the complete answer, or, for a
     * stream, at the commit point with a paused live stream. It fails with a {@code LeveeException}.
     */
    public Call execute(ChatRequest request, boolean stream) {
        String requestId = RequestIds.accept(request.options().requestId());
        Context context = vertx.getOrCreateContext();
        RequestState state = new RequestState(requestId, request, stream, clock, ticker, context);
        Promise<Reply> reply = Promise.promise();
        if (Vertx.currentContext() == context) {
            chain.execute(state).onComplete(reply);
        } else {
            context.runOnContext(v -> chain.execute(state).onComplete(reply));
        }
        return new Running(requestId, reply.future(), state);
    }

    private record Running(String requestId, Future<Reply> reply, RequestState state) implements Call {
        @Override
        public void cancel() {
            state.cancel();
        }

        @Override
        public LimitStatus limits() {
            return state.get(Limits.STATUS);
        }
    }
}
