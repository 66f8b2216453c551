package dev.levee.internal.chain;

import dev.levee.ChatRequest;
import dev.levee.spi.Interceptor;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import io.vertx.core.Future;
import java.util.List;

/**
 * Links in order, ending at a terminal step. Like OkHttp's interceptor chain, each position is built
 * by index when the one before proceeds, and the contract is checked: a link that calls
 * {@code proceed} twice, returns {@code null} or throws is named in the failure.
 */
public final class RequestChain {
    /** The end of the chain: the step that answers (the router). */
    @FunctionalInterface
    public interface Terminal {
        Future<Reply> answer(RequestState context, ChatRequest request);
    }

    private final List<Interceptor> links;
    private final Terminal terminal;

    public RequestChain(List<Interceptor> links, Terminal terminal) {
        this.links = List.copyOf(links);
        this.terminal = terminal;
    }

    public Future<Reply> execute(RequestState context) {
        return new Position(0, context, context.request()).run();
    }

    private final class Position implements Interceptor.Chain {
        private final int index;
        private final RequestState context;
        private final ChatRequest request;
        private boolean proceeded;

        Position(int index, RequestState context, ChatRequest request) {
            this.index = index;
            this.context = context;
            this.request = request;
        }

        Future<Reply> run() {
            if (index == links.size()) {
                try {
                    return terminal.answer(context, request);
                } catch (RuntimeException e) {
                    return Future.failedFuture(e);
                }
            }
            Interceptor link = links.get(index);
            Future<Reply> reply;
            try {
                reply = link.intercept(this);
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
            if (reply == null) {
                return Future.failedFuture(new IllegalStateException(
                        "interceptor " + link.getClass().getName() + " returned null"));
            }
            return reply;
        }

        @Override
        public RequestContext context() {
            return context;
        }

        @Override
        public ChatRequest request() {
            return request;
        }

        @Override
        public Future<Reply> proceed(ChatRequest next) {
            if (proceeded) {
                throw new IllegalStateException("interceptor " + links.get(index).getClass().getName()
                        + " must call proceed() at most once");
            }
            if (next == null) {
                throw new IllegalArgumentException("interceptor " + links.get(index).getClass().getName()
                        + " passed a null request to proceed()");
            }
            proceeded = true;
            return new Position(index + 1, context, next).run();
        }
    }
}
