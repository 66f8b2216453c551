package dev.levee.internal.routing;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.spi.LiveStream;
import io.vertx.core.Handler;

/** A complete answer (the rule-based reply) played as a one-chunk stream. */
final class StaticStream implements LiveStream {
    private final ChatResponse response;
    private final int level;
    private Handler<ChatChunk> handler = c -> { };
    private Handler<ChatResponse> endHandler = r -> { };
    private boolean done;
    private boolean paused = true;

    StaticStream(ChatResponse response, int level) {
        this.response = response;
        this.level = level;
    }

    @Override
    public String model() {
        return response.modelUsed();
    }

    @Override
    public int fallbackLevel() {
        return level;
    }

    @Override
    public LiveStream handler(Handler<ChatChunk> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public LiveStream endHandler(Handler<ChatResponse> handler) {
        this.endHandler = handler;
        return this;
    }

    @Override
    public LiveStream exceptionHandler(Handler<LeveeException> handler) {
        return this;
    }

    @Override
    public LiveStream pause() {
        paused = true;
        return this;
    }

    @Override
    public LiveStream resume() {
        paused = false;
        if (!done) {
            done = true;
            handler.handle(new ChatChunk(response.text(), response.modelUsed(), response.finishReason(),
                    response.usage()));
            endHandler.handle(response);
        }
        return this;
    }

    @Override
    public void cancel() {
        done = true;
    }
}
