package dev.levee.internal.routing;

import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.LeveeException;
import dev.levee.Usage;
import dev.levee.internal.resilience.Attempts;
import dev.levee.internal.resilience.TargetCall;
import dev.levee.spi.LiveStream;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderStream;
import io.vertx.core.Handler;
import dev.levee.Provenance;
import dev.levee.config.TierConfig;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A committed stream. Relays chunks with backpressure (a paused caller pauses the upstream read),
 * accumulates the answer, and when the upstream is cut or stalls after content was sent, asks the
 * walk for a target that continues the answer from the partial text, splicing its output into the
 * same stream. With none left it fails — never a clean end on a truncated answer.
 */
final class ContinuedStream implements LiveStream {
    private final TierWalk walk;
    private final String committedModel;
    private final int committedTier;
    private final ArrayDeque<ChatChunk> queue = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();
    private final ToolCallAssembler toolCalls = new ToolCallAssembler();
    private final List<String> notApplied;
    private Provenance provenance;
    /** The seam of an instructed continuation while its start is compared with the partial answer. */
    private Splice splice;

    private Attempts.Tracked attempt;
    private ProviderStream upstream;
    private Usage usage;
    private String model;
    private FinishReason finish;
    private boolean paused = true;
    private boolean upstreamEnded;
    private boolean done;
    private Handler<ChatChunk> chunkHandler = c -> { };
    private Handler<ChatResponse> endHandler = r -> { };
    private Handler<LeveeException> exceptionHandler = e -> { };

    ContinuedStream(TierWalk walk, TargetCall.Answer<TargetCall.Opened> opened) {
        this.walk = walk;
        this.attempt = opened.attempt();
        this.committedTier = attempt.target().tier();
        this.model = attempt.target().config().model();
        this.notApplied = opened.notApplied();
        for (ChatChunk c : opened.value().early()) {
            accumulate(c);
            queue.add(c);
        }
        this.committedModel = model;
        walk.ctx.cancellation().onComplete(v -> abandon());
        attach(opened.value().upstream());
        if (opened.value().ended()) {
            upstreamFinished();
        }
    }

    private void attach(ProviderStream stream) {
        this.upstream = stream;
        this.upstreamEnded = false;
        stream.handler(this::onChunk)
                .endHandler(v -> upstreamFinished())
                .exceptionHandler(e -> upstreamFailed(ProviderException.of(e)));
    }

    @Override
    public String model() {
        return committedModel;
    }

    @Override
    public int fallbackLevel() {
        return committedTier;
    }

    @Override
    public Provenance provenance() {
        return provenance == null ? Provenance.NONE : provenance;
    }

    @Override
    public List<String> notApplied() {
        return notApplied;
    }

    @Override
    public LiveStream handler(Handler<ChatChunk> handler) {
        this.chunkHandler = handler;
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
        paused = true;
        if (upstream != null && !upstreamEnded) {
            upstream.pause();
        }
        return this;
    }

    @Override
    public LiveStream resume() {
        paused = false;
        while (!paused && !queue.isEmpty() && !done) {
            deliver(queue.poll());
        }
        if (!paused && !done) {
            if (!upstreamEnded && upstream != null) {
                upstream.resume();
            }
            maybeEnd();
        }
        return this;
    }

    /** The caller went away: the request's cancellation reaches {@link #abandon()}. */
    @Override
    public void cancel() {
        if (!done) {
            walk.ctx.cancel();
        }
    }

    private void abandon() {
        if (done) {
            return;
        }
        done = true;
        if (upstream != null && !upstreamEnded) {
            upstream.cancel();
        }
        attempt.cancelled();
    }

    private void onChunk(ChatChunk chunk) {
        if (done) {
            return;
        }
        if (splice != null && !splice.joined()) {
            chunk = spliced(chunk);
            if (chunk == null) {
                return;
            }
        }
        accumulate(chunk);
        if (paused || !queue.isEmpty()) {
            queue.add(chunk);
        } else {
            deliver(chunk);
        }
    }

    /** The chunk with the repeat at the seam cut, or {@code null} while its start is still held. */
    private ChatChunk spliced(ChatChunk chunk) {
        boolean more = chunk.finishReason() != null || chunk.usage() != null || !chunk.toolCalls().isEmpty();
        String text = splice.offer(chunk.text());
        if (more && !splice.joined()) {
            text = splice.flush();
        }
        if (text.isEmpty() && !more && !splice.joined()) {
            return null;
        }
        return new ChatChunk(text, chunk.model(), chunk.finishReason(), chunk.usage(), chunk.toolCalls(),
                chunk.logprobs(), chunk.provenance());
    }

    private void accumulate(ChatChunk chunk) {
        text.append(chunk.text());
        toolCalls.add(chunk.toolCalls());
        if (provenance == null && chunk.provenance() != null) {
            provenance = chunk.provenance();
        }
        if (chunk.model() != null) {
            model = chunk.model();
        }
        if (chunk.finishReason() != null) {
            finish = chunk.finishReason();
        }
        if (chunk.usage() != null) {
            usage = usage == null ? chunk.usage() : usage.plus(chunk.usage());
        }
    }

    private void deliver(ChatChunk chunk) {
        if (chunk.hasContent()) {
            walk.ctx.markFirstToken();
        }
        chunkHandler.handle(chunk);
    }

    private void upstreamFinished() {
        if (splice != null && !splice.joined()) {
            String rest = splice.flush();
            if (!rest.isEmpty()) {
                onChunk(ChatChunk.text(rest, model));
            }
        }
        upstreamEnded = true;
        attempt.succeeded();
        maybeEnd();
    }

    private void maybeEnd() {
        if (done || paused || !queue.isEmpty() || !upstreamEnded) {
            return;
        }
        done = true;
        endHandler.handle(new ChatResponse(text.toString(), model, attempt.target().config().provider(),
                walk.ctx.route().name(), usage == null ? Usage.NONE : usage,
                finish == null ? FinishReason.STOP : finish, walk.ctx.elapsedMillis(), attempt.target().tier(),
                walk.ctx.requestId(), walk.now(), walk.ctx.attempts(), toolCalls.calls(), null, provenance,
                notApplied));
    }

    private void upstreamFailed(ProviderException error) {
        if (done) {
            return;
        }
        attempt.failed(error, -1);
        if (!toolCalls.isEmpty()) {
            // A half-sent tool call cannot be continued: its arguments would be spliced, not resumed.
            failStream(error);
            return;
        }
        String partial = text.toString().stripTrailing(); // providers reject a prefill ending in whitespace
        walk.continuation(attempt.target().tier(), partial, error).onComplete(ar -> {
            if (done) {
                if (ar.succeeded()) { // the caller left while the continuation was opening
                    ar.result().value().upstream().cancel();
                    ar.result().attempt().cancelled();
                }
                return;
            }
            if (ar.failed()) {
                failStream(ProviderException.of(ar.cause()));
                return;
            }
            text.setLength(partial.length());
            attempt = ar.result().attempt();
            splice = attempt.target().config().continuation() == TierConfig.Continuation.INSTRUCTION
                    ? new Splice(partial) : null;
            TargetCall.Opened opened = ar.result().value();
            attach(opened.upstream());
            for (ChatChunk c : opened.early()) {
                onChunk(c);
            }
            if (opened.ended()) {
                upstreamFinished();
            } else if (!paused) {
                opened.upstream().resume();
            }
        });
    }

    private void failStream(ProviderException cause) {
        done = true;
        exceptionHandler.handle(new LeveeException(LeveeException.Kind.UNAVAILABLE, "stream_interrupted",
                "the answer was interrupted after " + text.length() + " characters and no tier could continue it ("
                        + cause.getMessage() + ")", walk.ctx.requestId(), null));
    }
}
