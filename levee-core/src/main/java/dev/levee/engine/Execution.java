package dev.levee.engine;

import dev.levee.pipeline.Reply;
import dev.levee.pipeline.RequestContext;
import io.vertx.core.Future;

/** A request in flight: its id, its eventual reply, and a way to abandon it. */
public final class Execution {
    private final String requestId;
    private final Future<Reply> reply;
    private final RequestContext context;

    Execution(String requestId, Future<Reply> reply, RequestContext context) {
        this.requestId = requestId;
        this.reply = reply;
        this.context = context;
    }

    public String requestId() {
        return requestId;
    }

    public Future<Reply> reply() {
        return reply;
    }

    /** Abandons the request: upstream calls are reset and breakers record nothing. */
    public void cancel() {
        if (context != null) {
            context.cancel();
        }
    }
}
