package dev.levee.internal.provider;

import dev.levee.internal.stream.SseDecoder;
import dev.levee.internal.stream.SseEvent;

/**
 * The part every server-sent-events provider stream shares: lines become events, and an upstream
 * that closes after its finish (without its terminator) has still answered completely.
 */
public abstract class SseStreamDecoder implements StreamDecoder {
    private final SseDecoder sse = new SseDecoder(this::onEvent);
    /** Where the current line's events go; set before each event is handled. */
    protected StreamSink sink;

    /** One event of the stream. */
    protected abstract void onEvent(SseEvent event);

    /** Whether the upstream already said how the answer ended (a finish reason or stop event). */
    protected abstract boolean finished();

    @Override
    public final void line(String line, StreamSink sink) {
        this.sink = sink;
        sse.line(line);
    }

    @Override
    public final void line(byte[] bytes, int from, int to, StreamSink sink) {
        this.sink = sink;
        sse.line(bytes, from, to);
    }

    @Override
    public final void closed(StreamSink sink) {
        this.sink = sink;
        sse.finish();
        if (finished()) {
            sink.end(); // a finished stream that lost its terminator is still complete
        }
    }
}
