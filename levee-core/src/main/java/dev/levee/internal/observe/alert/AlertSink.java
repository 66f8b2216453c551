package dev.levee.internal.observe.alert;

import io.vertx.core.Future;

/**
 * Where alerts go: a webhook, a pager, a chat. Called on an event-loop thread, already
 * de-duplicated. Must return at once, never block and never throw: deliver asynchronously and log
 * failures.
 */
@FunctionalInterface
public interface AlertSink {
    /** Delivers nothing; the {@link Alerter}'s own log line is the alert. */
    AlertSink NONE = alert -> {
    };

    void send(Alert alert);

    /** Releases connections; alerts sent afterwards may be dropped. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
