package dev.levee.internal.provider;

/** Translates one provider's stream lines into levee chunks. One instance per stream. */
public interface StreamDecoder {
    void line(String line, StreamSink sink);

    /** The upstream closed the body; a decoder that saw the finish may end, else the stream was cut. */
    void closed(StreamSink sink);
}
