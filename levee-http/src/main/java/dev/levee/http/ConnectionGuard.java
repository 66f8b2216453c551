package dev.levee.http;

import dev.levee.config.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client may hold of the gateway: connections up to a cap, and no longer than it takes to send
 * a request. A connection whose first request's headers do not arrive in time (a slowloris) is
 * closed, and so is one whose request body stalls; the idle timeout of the server options closes
 * connections nobody uses. Shared by every listener of one gateway.
 */
final class ConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger("levee.gateway");

    private final Vertx vertx;
    private final ServerConfig config;
    private final AtomicInteger open = new AtomicInteger();
    /** Connections still waiting for their first request, with the timer that closes them. */
    private final Map<HttpConnection, Long> awaitingHeaders = new ConcurrentHashMap<>();
    private volatile long lastRefusalLog;

    ConnectionGuard(Vertx vertx, ServerConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    int open() {
        return open.get();
    }

    /** A new connection: refused over the cap, else given until the header timeout for a first request. */
    void onConnection(HttpConnection connection) {
        int now = open.incrementAndGet();
        connection.closeHandler(v -> {
            open.decrementAndGet();
            Long timer = awaitingHeaders.remove(connection);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
        });
        if (now > config.maxConnections()) {
            long at = System.nanoTime();
            if (at - lastRefusalLog > 10_000_000_000L) { // one line per 10 s, however many are refused
                lastRefusalLog = at;
                log.warn("refusing connections: {} open, server.max_connections is {}", now, config.maxConnections());
            }
            connection.close();
            return;
        }
        long timer = vertx.setTimer(config.headerTimeout().toMillis(), id -> {
            if (awaitingHeaders.remove(connection) != null) {
                connection.close(); // no complete request line and headers in time
            }
        });
        awaitingHeaders.put(connection, timer);
    }

    /** The first handler of every request: headers are in; the body now has its own time. */
    void onRequest(RoutingContext rc) {
        HttpConnection connection = rc.request().connection();
        Long headerTimer = awaitingHeaders.remove(connection);
        if (headerTimer != null) {
            vertx.cancelTimer(headerTimer);
        }
        if (!rc.request().isEnded()) {
            // A body sent with its headers is read in the same pass of the event loop, so it is in by
            // the loop's next task: only a body still missing then is timed. A timer set and cancelled
            // for every request cost more than the rest of this guard (bench/, JFR).
            vertx.runOnContext(v -> timeBody(rc, connection));
        }
        rc.next();
    }

    private void timeBody(RoutingContext rc, HttpConnection connection) {
        if (rc.request().isEnded() || rc.response().ended()) {
            return; // in, or answered without it (a request shed before its body is read closes its connection)
        }
        long bodyTimer = vertx.setTimer(config.bodyTimeout().toMillis(), id -> {
            if (!rc.request().isEnded()) {
                connection.close(); // the body stalled: the rest will never be read
            }
        });
        rc.addEndHandler(v -> vertx.cancelTimer(bodyTimer));
    }
}
