package dev.levee.engine;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.event.LeveeEvent;
import dev.levee.pipeline.Events;
import dev.levee.pipeline.LiveStream;
import dev.levee.pipeline.RequestContext;
import io.vertx.core.Handler;

/** Emits the request's final event when a stream ends, fails or is cancelled. */
final class ObservedStream implements LiveStream {
    private final LiveStream delegate;
    private final RequestContext ctx;
    private final Events events;
    private boolean reported;

    ObservedStream(LiveStream delegate, RequestContext ctx, Events events) {
        this.delegate = delegate;
        this.ctx = ctx;
        this.events = events;
        delegate.endHandler(r -> completed(r, null)).exceptionHandler(e -> failed(e, null));
    }

    private Handler<ChatResponse> userEnd = r -> { };
    private Handler<LeveeException> userError = e -> { };

    private void completed(ChatResponse response, Void unused) {
        if (!reported) {
            reported = true;
            events.emit(new LeveeEvent.RequestCompleted(ctx.requestId(), ctx.clock().instant(), response,
                    ctx.ttftMillis()));
        }
        userEnd.handle(response);
    }

    private void failed(LeveeException error, Void unused) {
        if (!reported) {
            reported = true;
            events.emit(new LeveeEvent.RequestFailed(ctx.requestId(), ctx.clock().instant(), ctx.route().name(), error,
                    ctx.elapsedMillis(), null));
        }
        userError.handle(error);
    }

    @Override
    public String model() {
        return delegate.model();
    }

    @Override
    public int fallbackLevel() {
        return delegate.fallbackLevel();
    }

    @Override
    public LiveStream handler(Handler<ChatChunk> handler) {
        delegate.handler(handler);
        return this;
    }

    @Override
    public LiveStream endHandler(Handler<ChatResponse> handler) {
        this.userEnd = handler;
        return this;
    }

    @Override
    public LiveStream exceptionHandler(Handler<LeveeException> handler) {
        this.userError = handler;
        return this;
    }

    @Override
    public LiveStream pause() {
        delegate.pause();
        return this;
    }

    @Override
    public LiveStream resume() {
        delegate.resume();
        return this;
    }

    @Override
    public void cancel() {
        if (!reported) {
            reported = true;
            delegate.cancel();
            events.emit(new LeveeEvent.RequestFailed(ctx.requestId(), ctx.clock().instant(), ctx.route().name(),
                    new LeveeException(LeveeException.Kind.CANCELLED, "cancelled by the caller", ctx.requestId()),
                    ctx.elapsedMillis(), null));
        }
    }
}
