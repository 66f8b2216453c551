package dev.levee.engine;

import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.pipeline.RequestContext;

/** Where a request's end is reported: exactly once, as a completion or a failure. */
interface Outcomes {
    /** Reports the completion; returns the response as the caller gets it (usage estimated if none was reported). */
    ChatResponse completed(RequestContext ctx, ChatResponse response);

    void failed(RequestContext ctx, LeveeException error, String partialText);
}
