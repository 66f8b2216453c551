package dev.levee.internal.provider;

/** Translates one provider's stream lines into levee chunks. One instance per stream. */
public interface StreamDecoder {
    void line(String line, StreamSink sink);

    /**
     * A line as the bytes it arrived as (UTF-8, without its terminator), valid only during the call;
     * decoded to a string unless the decoder reads bytes itself.
     */
    default void line(byte[] bytes, int from, int to, StreamSink sink) {
        line(from == to ? "" : new String(bytes, from, to - from, java.nio.charset.StandardCharsets.UTF_8), sink);
    }

    /** The upstream closed the body; a decoder that saw the finish may end, else the stream was cut. */
    void closed(StreamSink sink);
}
