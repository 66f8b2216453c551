package dev.levee.simulator;

import dev.levee.simulator.ReceivedRequest.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat request on its way to an outcome: owns the pending timer, notices the client leaving
 * and records how the response ended. Used only on the request's event loop.
 */
final class Exchange {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final Vertx vertx;
    private final HttpServerRequest request;
    private final RequestJournal.Entry entry;
    private final AtomicInteger inFlight;
    private long timerId = -1;
    private boolean over;

    Exchange(Vertx vertx, HttpServerRequest request, RequestJournal.Entry entry, AtomicInteger inFlight) {
        this.vertx = vertx;
        this.request = request;
        this.entry = entry;
        this.inFlight = inFlight;
        inFlight.incrementAndGet();
        request.response().closeHandler(v -> clientGone());
        request.response().exceptionHandler(e -> clientGone());
    }

    boolean isOver() {
        return over;
    }

    HttpServerRequest request() {
        return request;
    }

    HttpServerResponse response() {
        return request.response();
    }

    /** Runs the step after the delay unless the exchange is over by then; zero delays still yield to I/O. */
    void schedule(Duration delay, Runnable step) {
        if (over) {
            return;
        }
        long ms = delay.toMillis();
        if (ms < 1) {
            vertx.runOnContext(v -> {
                if (!over) {
                    step.run();
                }
            });
        } else {
            timerId = vertx.setTimer(ms, id -> {
                timerId = -1;
                if (!over) {
                    step.run();
                }
            });
        }
    }

    /** Records the outcome and stops all further work; later endings (e.g. the close that follows) are ignored. */
    void end(Outcome outcome) {
        if (over) {
            return;
        }
        over = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
        inFlight.decrementAndGet();
        entry.finish(outcome);
    }

    Future<Void> sendError(SimError error, Dialect dialect, Outcome outcome) {
        if (over) {
            return Future.failedFuture("the exchange has already ended");
        }
        HttpServerResponse response = response();
        response.setStatusCode(error.status()).putHeader("content-type", "application/json");
        if (error.retryAfterSeconds() != null) {
            response.putHeader("retry-after", String.valueOf(error.retryAfterSeconds()));
        }
        end(outcome);
        return response.end(dialect.errorBody(error));
    }

    /** Drops the connection mid-flight, as the {@code reset} and {@code cut_after} faults ask. */
    void abort() {
        end(Outcome.FAULTED);
        Connections.abort(request);
    }

    /**
     * Sends nothing more but keeps the connection open ({@code hang}, {@code stall_after}): the
     * request stays in progress until the client gives up, which then counts as cancelled.
     */
    void stall() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void clientGone() {
        if (!over) {
            log.debug("client went away model={} path={}", entry.request().model(), request.path());
            end(Outcome.CANCELLED);
        }
    }
}
