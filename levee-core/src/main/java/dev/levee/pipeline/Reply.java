package dev.levee.pipeline;

import dev.levee.ChatResponse;

/** What the pipeline produces: a complete answer, or a stream that has already produced content. */
public sealed interface Reply {
    record Complete(ChatResponse response) implements Reply {
    }

    record Streaming(LiveStream stream) implements Reply {
    }
}
