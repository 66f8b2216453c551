package dev.levee.pipeline;

import dev.levee.ChatRequest;
import dev.levee.spi.Interceptor;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Interceptors in order, ending at the router. Like OkHttp's chain, each link is built by index and
 * checks the contract: an interceptor that calls {@code proceed} twice is named and refused.
 */
public final class Pipeline {
    private final List<Interceptor> interceptors;
    private final BiFunction<RequestContext, ChatRequest, Future<Reply>> terminal;

    public Pipeline(List<Interceptor> interceptors, BiFunction<RequestContext, ChatRequest, Future<Reply>> terminal) {
        this.interceptors = List.copyOf(interceptors);
        this.terminal = terminal;
    }

    public Future<Reply> execute(RequestContext context) {
        return new Link(0, context, context.request()).run();
    }

    private final class Link implements Interceptor.Chain {
        private final int index;
        private final RequestContext context;
        private final ChatRequest request;
        private boolean proceeded;

        Link(int index, RequestContext context, ChatRequest request) {
            this.index = index;
            this.context = context;
            this.request = request;
        }

        Future<Reply> run() {
            if (index == interceptors.size()) {
                return terminal.apply(context, request);
            }
            Interceptor interceptor = interceptors.get(index);
            try {
                Future<Reply> reply = interceptor.intercept(this);
                if (reply == null) {
                    return Future.failedFuture(new IllegalStateException(
                            "interceptor " + interceptor.getClass().getName() + " returned null"));
                }
                return reply;
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
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
                throw new IllegalStateException("interceptor " + interceptors.get(index).getClass().getName()
                        + " must call proceed() at most once");
            }
            proceeded = true;
            return new Link(index + 1, context, next).run();
        }
    }
}
