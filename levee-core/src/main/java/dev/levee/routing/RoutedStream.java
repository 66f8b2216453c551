package dev.levee.routing;

import dev.levee.Attempt;
import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.LeveeException;
import dev.levee.Message;
import dev.levee.Usage;
import dev.levee.config.TierConfig;
import dev.levee.event.LeveeEvent;
import dev.levee.pipeline.LiveStream;
import dev.levee.resilience.Permit;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderStream;
import io.vertx.core.Handler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A committed stream. Relays chunks with backpressure (a paused caller pauses the upstream read),
 * accumulates the answer, and when the upstream is cut or stalls after content was sent, continues
 * the answer on the next tier that accepts an assistant prefill, splicing its output into the same
 * stream. With no such tier left it fails — never a clean end on a truncated answer.
 */
final class RoutedStream implements LiveStream {
    private final StreamWalk walk;
    private final String committedModel;
    private final int committedTier;
    private final ArrayDeque<ChatChunk> queue = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();

    private TierWalk.Step step;
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

    RoutedStream(StreamWalk walk, TierWalk.Step step, ProviderStream upstream, List<ChatChunk> early, boolean ended) {
        this.walk = walk;
        this.step = step;
        this.committedTier = step.tier();
        this.model = step.config().model();
        for (ChatChunk c : early) {
            accumulate(c);
            queue.add(c);
        }
        this.committedModel = model;
        walk.ctx.onCancel(this::abandonUpstream);
        attach(upstream);
        if (ended) {
            upstreamFinished();
        }
    }

    private void attach(ProviderStream stream) {
        this.upstream = stream;
        stream.handler(this::onChunk)
                .endHandler(v -> upstreamFinished())
                .exceptionHandler(e -> upstreamFailed(e instanceof ProviderException pe ? pe
                        : new ProviderException(FailureKind.STREAM_CUT, String.valueOf(e))));
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

    @Override
    public void cancel() {
        if (!done) {
            walk.ctx.cancel(); // runs abandonUpstream
        }
    }

    private void abandonUpstream() {
        if (done) {
            return;
        }
        done = true;
        if (upstream != null && !upstreamEnded) {
            upstream.cancel();
        }
        step.permit().released();
        walk.ctx.addAttempt(new Attempt(step.tier(), step.config().target(), Attempt.Outcome.CANCELLED, 200,
                "cancelled by the caller", step.elapsedMillis(), step.delayBeforeMillis()));
    }

    private void onChunk(ChatChunk chunk) {
        if (done) {
            return;
        }
        accumulate(chunk);
        if (paused || !queue.isEmpty()) {
            queue.add(chunk);
        } else {
            deliver(chunk);
        }
    }

    private void accumulate(ChatChunk chunk) {
        text.append(chunk.text());
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
        upstreamEnded = true;
        step.permit().succeeded();
        walk.ctx.addAttempt(new Attempt(step.tier(), step.config().target(), Attempt.Outcome.SUCCEEDED, 200, null,
                step.elapsedMillis(), step.delayBeforeMillis()));
        walk.emit(new LeveeEvent.AttemptSucceeded(walk.ctx.requestId(), walk.now(), step.tier(),
                step.config().target(), step.attempt(), step.elapsedMillis()));
        maybeEnd();
    }

    private void maybeEnd() {
        if (done || paused || !queue.isEmpty() || !upstreamEnded) {
            return;
        }
        done = true;
        endHandler.handle(new ChatResponse(text.toString(), model, step.config().provider(), walk.ctx.route().name(),
                usage == null ? Usage.NONE : usage, finish == null ? FinishReason.STOP : finish,
                walk.ctx.elapsedMillis(), step.tier(), walk.ctx.requestId(), walk.now(), walk.ctx.attempts()));
    }

    private void upstreamFailed(ProviderException error) {
        if (done) {
            return;
        }
        step.permit().failed(error);
        walk.ctx.addAttempt(new Attempt(step.tier(), step.config().target(), Attempt.Outcome.FAILED, error.status(),
                error.getMessage(), step.elapsedMillis(), step.delayBeforeMillis()));
        walk.emit(new LeveeEvent.AttemptFailed(walk.ctx.requestId(), walk.now(), step.tier(), step.config().target(),
                step.attempt(), error.kind(), error.status(), error.getMessage(), step.elapsedMillis(), -1));
        continueFrom(step.tier() + 1, error);
    }

    /** Finds the next tier that can continue from the partial answer, or fails the stream. */
    private void continueFrom(int index, ProviderException cause) {
        List<TierConfig> tiers = walk.tiers;
        for (int i = index; i < tiers.size(); i++) {
            TierConfig tier = tiers.get(i);
            if (!tier.supportsPrefill() || walk.request.options().forcesFailureOf(i)
                    || walk.ctx.deadline().remainingMillis() < TierWalk.MIN_ATTEMPT_MILLIS) {
                continue;
            }
            Permit permit = walk.router.breakers.forTarget(tier.target()).tryAcquire();
            if (permit == null) {
                continue;
            }
            startContinuation(i, tier, permit, cause);
            return;
        }
        failStream(cause);
    }

    private void startContinuation(int index, TierConfig tier, Permit permit, ProviderException cause) {
        String partial = text.toString().stripTrailing(); // providers reject a prefill ending in whitespace
        walk.emit(new LeveeEvent.StreamContinued(walk.ctx.requestId(), walk.now(), step.tier(), index, tier.target(),
                partial.length(), cause.kind().name().toLowerCase(java.util.Locale.ROOT)));
        List<Message> messages = new ArrayList<>(walk.request.messages());
        messages.add(Message.assistant(partial));
        if (partial.length() < text.length()) {
            text.setLength(partial.length());
        }
        TierWalk.Step next = new TierWalk.Step(index, tier, permit, walk.ctx.deadline(), null, 1, 0, System.nanoTime());
        walk.router.adapters.get(tier.provider())
                .stream(walk.callFor(tier, messages, walk.firstTokenBudget(next)))
                .onComplete(ar -> {
                    if (done) {
                        if (ar.succeeded()) {
                            ar.result().cancel();
                        }
                        permit.released();
                        return;
                    }
                    if (ar.failed()) {
                        ProviderException e = ar.cause() instanceof ProviderException pe ? pe
                                : new ProviderException(FailureKind.CONNECT, String.valueOf(ar.cause()));
                        permit.failed(e);
                        walk.ctx.addAttempt(new Attempt(index, tier.target(), Attempt.Outcome.FAILED, e.status(),
                                e.getMessage(), next.elapsedMillis(), 0));
                        continueFrom(index + 1, e);
                        return;
                    }
                    step = next;
                    attach(ar.result());
                    if (!paused) {
                        ar.result().resume();
                    }
                });
    }

    private void failStream(ProviderException cause) {
        done = true;
        exceptionHandler.handle(new LeveeException(LeveeException.Kind.UNAVAILABLE,
                "the answer was interrupted after " + text.length() + " characters and no tier could continue it ("
                        + cause.getMessage() + ")", walk.ctx.requestId()));
    }
}
