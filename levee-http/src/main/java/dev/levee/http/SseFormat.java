package dev.levee.http;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import io.vertx.core.buffer.Buffer;

/**
 * How one API frames a committed stream as server-sent events; {@link SseRelay} does the rest
 * (batching, backpressure, cancellation, the reset after a failure). Each method appends whole
 * frames to {@code out}.
 */
interface SseFormat {
    /** The frames that open the stream, before the first content. */
    void open(Buffer out);

    /** A piece of the answer: text or tool-call pieces. */
    void chunk(ChatChunk chunk, Buffer out);

    /** The frames that end a complete answer, the end marker included. */
    void close(ChatResponse answer, Buffer out);

    /** The in-band error event of a stream that failed after content; a reset follows it. */
    void error(LeveeException failure, Buffer out);
}
