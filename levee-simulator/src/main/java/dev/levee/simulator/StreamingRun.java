package dev.levee.simulator;

import dev.levee.simulator.Dialect.StreamFormat;
import dev.levee.simulator.ReceivedRequest.Outcome;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Streams an answer piece by piece on timers: nothing until the time to first token, then the
 * headers, the opening events and a piece every per-token delay; stream faults strike between pieces.
 */
final class StreamingRun {

    private final Exchange exchange;
    private final StreamFormat format;
    private final List<String> pieces;
    private final Latency latency;
    private final FaultSpec fault;
    private int sent;
    private boolean malformedSent;

    StreamingRun(Exchange exchange, StreamFormat format, Answer answer, Latency latency, FaultSpec fault) {
        this.exchange = exchange;
        this.format = format;
        this.pieces = answer.pieces();
        this.latency = latency;
        this.fault = fault;
    }

    void start() {
        exchange.schedule(latency.timeToFirstToken(), this::open);
    }

    private void open() {
        exchange.response()
                .setChunked(true)
                .putHeader("content-type", format.contentType())
                .putHeader("cache-control", "no-cache");
        write(format.open());
        advance();
    }

    private void advance() {
        if (fault != null && faultStrikes()) {
            return;
        }
        if (sent == pieces.size()) {
            finish();
            return;
        }
        write(format.piece(pieces.get(sent++)));
        if (sent == pieces.size()) {
            advance();
        } else {
            next();
        }
    }

    /** Applies the fault due after {@code sent} pieces; returns whether the stream stops here. */
    private boolean faultStrikes() {
        if (due(fault.malformedAt()) && !malformedSent) {
            malformedSent = true;
            write(format.malformed());
        }
        if (due(fault.cutAfter())) {
            exchange.abort();
            return true;
        }
        if (due(fault.stallAfter())) {
            exchange.stall();
            return true;
        }
        if (due(fault.errorAfter())) {
            exchange.end(Outcome.FAULTED);
            exchange.response().end(format.error());
            return true;
        }
        return false;
    }

    /** A position past the answer's end strikes just before the closing events, so the fault always shows. */
    private boolean due(Integer position) {
        return position != null && Math.min(position, pieces.size()) == sent;
    }

    private void next() {
        HttpServerResponse response = exchange.response();
        if (response.writeQueueFull()) {
            response.drainHandler(v -> exchange.schedule(latency.perToken(), this::advance));
        } else {
            exchange.schedule(latency.perToken(), this::advance);
        }
    }

    private void finish() {
        boolean terminator = fault == null || !fault.noDone();
        exchange.end(malformedSent || !terminator ? Outcome.FAULTED : Outcome.COMPLETED);
        exchange.response().end(format.finish(terminator));
    }

    private void write(String text) {
        if (!text.isEmpty()) {
            exchange.response().write(text);
        }
    }
}
