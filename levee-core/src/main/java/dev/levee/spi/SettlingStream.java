package dev.levee.spi;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import io.vertx.core.Handler;

/** A stream that tells a {@link Reply.Settlement} how it ended — completed, failed or cancelled — once. */
final class SettlingStream implements LiveStream {
    private final LiveStream delegate;
    private final Reply.Settlement settlement;
    private final String requestId;
    /** What the caller has been handed; kept by the innermost settling stream only, the others ask it. */
    private final StringBuilder delivered;
    private final SettlingStream inner;
    private Handler<ChatResponse> endHandler = r -> { };
    private Handler<LeveeException> exceptionHandler = e -> { };
    private boolean settled;

    SettlingStream(LiveStream delegate, Reply.Settlement settlement, String requestId) {
        this.delegate = delegate;
        this.settlement = settlement;
        this.requestId = requestId;
        this.inner = delegate instanceof SettlingStream s ? s : null;
        this.delivered = inner == null ? new StringBuilder() : null;
        delegate.endHandler(this::ended).exceptionHandler(this::failed);
    }

    private String delivered() {
        return inner != null ? inner.delivered() : delivered.toString();
    }

    private void ended(ChatResponse response) {
        ChatResponse passed = response;
        if (!settled) {
            settled = true;
            passed = settlement.answered(response);
        }
        endHandler.handle(passed);
    }

    private void failed(LeveeException error) {
        if (!settled) {
            settled = true;
            settlement.failed(error, delivered());
        }
        exceptionHandler.handle(error);
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
    public dev.levee.Provenance provenance() {
        return delegate.provenance();
    }

    @Override
    public java.util.List<String> notApplied() {
        return delegate.notApplied();
    }

    @Override
    public LiveStream handler(Handler<ChatChunk> handler) {
        if (inner != null) {
            delegate.handler(handler);
        } else {
            delegate.handler(chunk -> {
                delivered.append(chunk.text());
                handler.handle(chunk);
            });
        }
        return this;
    }

    @Override
    public LiveStream endHandler(Handler<ChatResponse> handler) {
        this.endHandler = handler;
        return this;
    }

    @Override
    public LiveStream exceptionHandler(Handler<LeveeException> handler) {
        this.exceptionHandler = handler;
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
        if (!settled) {
            settled = true;
            delegate.cancel();
            settlement.failed(new LeveeException(LeveeException.Kind.CANCELLED, "cancelled by the caller", requestId),
                    delivered());
        }
    }
}
