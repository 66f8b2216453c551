package dev.levee.engine;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.pipeline.LiveStream;
import dev.levee.pipeline.RequestContext;
import io.vertx.core.Handler;

/** Reports a stream's end — completed, failed or cancelled — exactly once. */
final class ObservedStream implements LiveStream {
    private final LiveStream delegate;
    private final RequestContext ctx;
    private final Outcomes outcomes;
    private final StringBuilder delivered = new StringBuilder();
    private Handler<ChatResponse> userEnd = r -> { };
    private Handler<LeveeException> userError = e -> { };
    private boolean reported;

    ObservedStream(LiveStream delegate, RequestContext ctx, Outcomes outcomes) {
        this.delegate = delegate;
        this.ctx = ctx;
        this.outcomes = outcomes;
        delegate.endHandler(this::completed).exceptionHandler(this::failed);
    }

    private void completed(ChatResponse response) {
        ChatResponse reportedResponse = response;
        if (!reported) {
            reported = true;
            reportedResponse = outcomes.completed(ctx, response);
        }
        userEnd.handle(reportedResponse);
    }

    private void failed(LeveeException error) {
        if (!reported) {
            reported = true;
            outcomes.failed(ctx, error, delivered.toString());
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
        delegate.handler(chunk -> {
            delivered.append(chunk.text());
            handler.handle(chunk);
        });
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
            outcomes.failed(ctx, new LeveeException(LeveeException.Kind.CANCELLED, "cancelled by the caller",
                    ctx.requestId()), delivered.toString());
        }
    }
}
