package dev.levee.http;

import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission by the bytes of request bodies held at once ({@code server.max_body_bytes_in_flight}):
 * a request is counted from its headers — by its Content-Length, or as the largest body allowed when
 * it is chunked — until its answer ends, and one that would go past the budget is refused with 503
 * and {@code Retry-After} before a byte of its body is read. The size limit per body alone let 32
 * prompts of 3.9 MB at once exhaust the heap: each costs several times its size while it is
 * parsed, checked and sent on.
 */
final class BodyBudget {
    private final Levee levee;
    private final long maxBodyBytes;
    private final long budget;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(Levee levee, long maxBodyBytes, long budget) {
        this.levee = levee;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
    }

    /** The bytes held now, for tests and statistics. */
    long held() {
        return held.get();
    }

    /** The admission for one API's route: a refusal is written in that API's error shape. */
    io.vertx.core.Handler<RoutingContext> admission(Endpoint<?> api) {
        return rc -> admit(rc, api);
    }

    private void admit(RoutingContext rc, Endpoint<?> api) {
        HttpServerRequest request = rc.request();
        long size = declared(request);
        if (size > maxBodyBytes) {
            rc.next(); // the body handler answers 413 without reading it
            return;
        }
        long now = held.addAndGet(size);
        if (now > budget) {
            held.addAndGet(-size);
            refuse(rc, api);
            return;
        }
        rc.addEndHandler(v -> held.addAndGet(-size));
        rc.next();
    }

    private long declared(HttpServerRequest request) {
        String length = request.getHeader("content-length");
        if (length != null) {
            try {
                return Math.max(0, Long.parseLong(length.trim()));
            } catch (NumberFormatException e) {
                return maxBodyBytes; // Netty refuses such a request before this; count the worst if not
            }
        }
        return maxBodyBytes;
    }

    private void refuse(RoutingContext rc, Endpoint<?> api) {
        String requestId = RequestIds.accept(rc.request().getHeader("x-request-id"));
        LeveeException shed = new LeveeException(LeveeException.Kind.OVERLOADED, "shed under load: the request"
                + " bodies in flight already take the gateway's max_body_bytes_in_flight (" + budget + " bytes);"
                + " retry in a moment", requestId);
        levee.rejected(requestId, shed, false);
        HttpServerResponse response = rc.response().putHeader(Responses.REQUEST_ID, requestId)
                .putHeader("retry-after", "1")
                .putHeader("connection", "close"); // the body was never read: this connection cannot go on
        api.headers(response, requestId);
        api.error(response, ApiError.of(shed), requestId);
    }
}
