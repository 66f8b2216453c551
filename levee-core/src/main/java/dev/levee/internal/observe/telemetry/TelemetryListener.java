package dev.levee.internal.observe.telemetry;

import dev.levee.spi.TelemetryRecord;
import dev.levee.spi.TelemetrySink;
import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.config.PriceTable;
import dev.levee.spi.LeveeEvent;
import dev.levee.internal.text.PromptDigest;
import dev.levee.spi.LeveeEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns each request's final event into one {@link TelemetryRecord} for a {@link TelemetrySink}. */
public final class TelemetryListener implements LeveeEventListener {
    private final TelemetrySink sink;
    private final PromptDigest promptDigest;

    public TelemetryListener(TelemetrySink sink, PromptDigest promptDigest) {
        this.promptDigest = promptDigest;
        this.sink = sink;
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.RequestCompleted done) {
            sink.accept(completed(done));
        } else if (event instanceof LeveeEvent.RequestFailed failed) {
            sink.accept(failed(failed));
        }
    }

    TelemetryRecord completed(LeveeEvent.RequestCompleted e) {
        ChatResponse r = e.response();
        ChatRequest q = e.request();
        return new TelemetryRecord(e.at(), e.requestId(), r.route(), r.provider(), r.modelUsed(),
                r.fallbackLevel(), r.fallbackUsed(), e.stream(), attempts(r.attempts()), round(r.latencyMs()),
                e.ttftMs() == null ? null : round(e.ttftMs()),
                new TelemetryRecord.Tokens(r.usage().promptTokens(), r.usage().completionTokens(),
                        r.usage().totalTokens(), r.usage().estimated()),
                PriceTable.usd(e.costNanos()), "ok", null, e.breakerStates(), round(e.anomaly().score()),
                e.anomaly().reasons().isEmpty() ? null : e.anomaly().reasons(),
                promptDigest.of(q.lastUserText()), q.lastUserText().length(), r.text().length(),
                r.finishReason().wireName(), metadata(q));
    }

    TelemetryRecord failed(LeveeEvent.RequestFailed e) {
        ChatRequest q = e.request();
        boolean cancelled = e.error().kind() == dev.levee.LeveeException.Kind.CANCELLED;
        return new TelemetryRecord(e.at(), e.requestId(), e.route(), null, null, null, null, e.stream(),
                attempts(e.attempts()), round(e.latencyMs()), e.ttftMs() == null ? null : round(e.ttftMs()), null,
                null, cancelled ? "cancelled" : "error",
                new TelemetryRecord.ErrorRecord(e.error().kind().name().toLowerCase(java.util.Locale.ROOT),
                        e.error().getMessage()),
                e.breakerStates(), null, null, q == null ? null : promptDigest.of(q.lastUserText()),
                q == null ? null : q.lastUserText().length(),
                e.partialText() == null ? null : e.partialText().length(), null, q == null ? null : metadata(q));
    }

    private static List<TelemetryRecord.AttemptRecord> attempts(List<Attempt> attempts) {
        List<TelemetryRecord.AttemptRecord> out = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            out.add(new TelemetryRecord.AttemptRecord(a.tier(), a.target(), a.outcome().name().toLowerCase(java.util.Locale.ROOT), a.status(),
                    a.error(), round(a.latencyMs()), a.retryDelayMs()));
        }
        return out;
    }

    private static Map<String, String> metadata(ChatRequest q) {
        return q.options().metadata().isEmpty() ? null : q.options().metadata();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
