package dev.levee.store;

import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every refused credential ({@link LeveeEvent.AccessDenied}) to the audit log, on a thread of
 * its own: the event arrives on an event loop, which must not wait for the database. A flood of bad
 * keys fills a bounded queue and the excess is counted, not queued without end.
 */
final class AuditListener implements LeveeEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("levee.audit");
    private final AuditLog audit;
    private final ExecutorService thread;
    private final AtomicLong dropped = new AtomicLong();

    AuditListener(AuditLog audit) {
        this.audit = audit;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "levee-audit");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (!(event instanceof LeveeEvent.AccessDenied denied)) {
            return;
        }
        String detail = "reason=" + denied.reason() + (denied.route() == null ? "" : " route=" + denied.route())
                + " request_id=" + denied.requestId();
        try {
            thread.execute(() -> {
                try {
                    audit.append("gateway", "auth.denied", denied.keyId(), detail);
                } catch (RuntimeException e) {
                    log.error("cannot append to the audit log: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                log.error("audit queue full: {} authentication failures not recorded", dropped.get());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
