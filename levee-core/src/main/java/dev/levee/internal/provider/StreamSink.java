package dev.levee.internal.provider;

import dev.levee.ChatChunk;
import dev.levee.spi.ProviderException;

/** Where a provider's stream decoder puts what it understood. */
public interface StreamSink {
    void chunk(ChatChunk chunk);

    /** The upstream finished properly; nothing more is read. */
    void end();

    void fail(ProviderException error);

    /** An unreadable chunk: the stream's integrity is lost, so it fails as malformed. */
    void malformed(String what);
}
