package dev.levee.simulator;

import dev.levee.simulator.ReceivedRequest.Outcome;
import io.vertx.core.buffer.Buffer;
import java.util.stream.Stream;

/**
 * Answers a non-streaming call once the whole answer would have been generated. Stream faults act
 * at the moment their piece would have been produced: {@code cut_after} drops the connection,
 * {@code stall_after} never answers, {@code error_after} answers 500, {@code malformed_at} sends
 * half of the JSON body.
 */
final class BufferedRun {

    private final Exchange exchange;
    private final Dialect dialect;
    private final ChatCall call;
    private final Answer answer;
    private final Latency latency;
    private final FaultSpec fault;
    private final Dialect.Timing timing;

    BufferedRun(Exchange exchange, Dialect dialect, ChatCall call, Answer answer, Latency latency, FaultSpec fault,
                Dialect.Timing timing) {
        this.exchange = exchange;
        this.dialect = dialect;
        this.call = call;
        this.answer = answer;
        this.latency = latency;
        this.fault = fault;
        this.timing = timing;
    }

    void start() {
        int total = answer.pieces().size();
        int strikeAt = fault == null ? total : Stream.of(fault.cutAfter(), fault.stallAfter(), fault.errorAfter())
                .filter(n -> n != null)
                .mapToInt(n -> Math.min(n, total))
                .min()
                .orElse(total);
        exchange.schedule(latency.untilPiece(strikeAt), () -> respond(strikeAt));
    }

    private void respond(int position) {
        if (fault != null) {
            if (at(fault.cutAfter(), position)) {
                exchange.abort();
                return;
            }
            if (at(fault.stallAfter(), position)) {
                exchange.stall();
                return;
            }
            if (at(fault.errorAfter(), position)) {
                exchange.sendError(SimError.generationFailed(), dialect, Outcome.FAULTED);
                return;
            }
        }
        Buffer body = dialect.completion(call, answer, timing);
        boolean malformed = fault != null && fault.malformedAt() != null;
        if (malformed) {
            body = body.slice(0, body.length() / 2);
        }
        exchange.end(malformed ? Outcome.FAULTED : Outcome.COMPLETED);
        exchange.response().putHeader("content-type", "application/json").end(body);
    }

    private boolean at(Integer faultPosition, int position) {
        return faultPosition != null && Math.min(faultPosition, answer.pieces().size()) == position;
    }
}
