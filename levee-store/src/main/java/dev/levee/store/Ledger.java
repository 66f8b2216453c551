package dev.levee.store;

import dev.levee.internal.observe.BatchWriter;
import dev.levee.spi.UsageRow;
import dev.levee.spi.UsageSink;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage ledger's writer. The request path only queues a row ({@link #accept}); one thread writes
 * what gathered in batches, one transaction each. When the database refuses a batch the rows go to
 * the {@link Spool} on disk, and so do later ones until the spool could be written back — checked at
 * most once per {@code retryEvery} — so rows are neither lost nor held in memory during an outage.
 */
final class Ledger implements UsageSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("levee.ledger");
    private static final int CHUNK = 500;

    private final Database db;
    private final Spool spool;
    private final long retryEveryNanos;
    private final BatchWriter<UsageRow> writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    /**
     * Row ids: this writer's random prefix and a sequence, unique across instances and restarts
     * without a random UUID per row, and increasing, so the primary-key index grows at its end.
     */
    private final String rowIdPrefix = java.util.HexFormat.of().toHexDigits(new java.security.SecureRandom().nextLong())
            + "-";
    private long rowSeq;
    private long lastRetry;
    private boolean outage;

    Ledger(Database db, Path spoolDir, long spoolMaxBytes, Duration retryEvery) {
        this.db = db;
        this.spool = new Spool(spoolDir, spoolMaxBytes);
        this.retryEveryNanos = retryEvery.toNanos();
        this.lastRetry = System.nanoTime() - retryEveryNanos;
        // 20 ms: at 15k requests/s a batch is still ~300 rows in one transaction, and rows do not
        // wait long enough to be copied by several young collections (BatchWriter).
        this.writer = new BatchWriter<>("levee-ledger", 65_536, Duration.ofMillis(20), this::write, this::idle,
                () -> { });
    }

    @Override
    public void accept(UsageRow row) {
        if (!writer.offer(row) && dropped.incrementAndGet() % 1000 == 1) {
            log.warn("usage ledger queue full: {} rows dropped so far", dropped.get());
        }
    }

    /** Rows refused because the queue or the spool was full. */
    long dropped() {
        return dropped.get();
    }

    /** Rows in the database, spool replays included. */
    long written() {
        return written.get();
    }

    private void write(List<UsageRow> batch) {
        List<LedgerRow> rows = new java.util.ArrayList<>(batch.size());
        for (UsageRow row : batch) {
            rows.add(LedgerRow.of(row, rowIdPrefix + Long.toHexString(++rowSeq)));
        }
        if (!spool.isEmpty()) {
            replay();
        }
        if (spool.isEmpty() && insert(rows)) {
            return;
        }
        toSpool(rows);
    }

    private void idle() {
        if (!spool.isEmpty()) {
            replay();
        }
    }

    private void replay() {
        long now = System.nanoTime();
        if (now - lastRetry < retryEveryNanos) {
            return;
        }
        lastRetry = now;
        try {
            List<LedgerRow> rows = spool.read();
            for (int i = 0; i < rows.size(); i += CHUNK) {
                if (!insert(rows.subList(i, Math.min(rows.size(), i + CHUNK)))) {
                    return; // still down; replay is idempotent, so the next try starts over
                }
            }
            spool.clear();
            log.info("usage ledger: the database is back; {} spooled rows written", rows.size());
            outage = false;
        } catch (IOException e) {
            log.error("usage ledger: cannot read the spool: {}", e.toString());
        }
    }

    /** Writes rows; false when the database cannot be reached (the rows are then the caller's to spool). */
    private boolean insert(List<LedgerRow> rows) {
        try {
            insertBatch(rows);
            written.addAndGet(rows.size());
            if (outage) {
                outage = false;
                log.info("usage ledger: writing to {} again", db.description());
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (refusedRow(e)) {
                insertOneByOne(rows); // a row the database refuses must not hold up the others
                return true;
            }
            if (!outage) {
                outage = true;
                log.warn("usage ledger: cannot write to {} ({}); rows wait in the spool until it is back",
                        db.description(), e.getMessage());
            }
            return false;
        }
    }

    private void insertOneByOne(List<LedgerRow> rows) {
        for (LedgerRow row : rows) {
            try {
                insertBatch(List.of(row));
                written.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
                dropped.incrementAndGet();
                log.error("usage ledger: the database refused the row of request {}; dropped: {}", row.requestId(),
                        e.getMessage());
            }
        }
    }

    private void insertBatch(List<LedgerRow> rows) throws SQLException {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerRow.INSERT)) {
                for (LedgerRow row : rows) {
                    row.bind(ps);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Whether the database refused a row's content (a constraint, a value out of range) rather than
     * being unreachable. Only these are taken row by row and dropped; anything else counts as an
     * outage, so that rows are spooled, never dropped, when in doubt.
     */
    static boolean refusedRow(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                String message = String.valueOf(sql.getMessage());
                if (state != null && (state.startsWith("22") || state.startsWith("23"))
                        || message.contains("SQLITE_CONSTRAINT") || message.contains("SQLITE_MISMATCH")
                        || message.contains("SQLITE_TOOBIG") || message.contains("SQLITE_RANGE")) {
                    return true;
                }
                if (sql.getNextException() != null && refusedRow(sql.getNextException())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void toSpool(List<LedgerRow> rows) {
        try {
            int lost = spool.append(rows);
            if (lost > 0) {
                dropped.addAndGet(lost);
                log.error("usage ledger: the spool is full; {} rows dropped", lost);
            }
        } catch (IOException e) {
            dropped.addAndGet(rows.size());
            log.error("usage ledger: cannot write the spool ({}); {} rows dropped", e.toString(), rows.size());
        }
    }

    /** Writes what is queued (to the database or the spool), then stops the writer thread. */
    @Override
    public void close() {
        writer.close(Duration.ofSeconds(10));
    }
}
