package dev.levee.store;

import dev.levee.config.StorageConfig;
import dev.levee.spi.KeyAdmin;
import dev.levee.spi.LeveeEventListener;
import dev.levee.spi.UsageReports;
import dev.levee.spi.UsageSink;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * levee's memory: virtual keys, the usage ledger and the audit log, in SQLite in the data directory
 * or in PostgreSQL ({@code storage.url}). Opening migrates the schema; a database that cannot be
 * opened — unreachable, corrupt, locked — is a {@link StoreException} that says so, never a silent
 * fresh one. Every method here may block: call them off the event loop (levee's links do).
 *
 * <pre>{@code
 * Store store = Store.open(config.storage());
 * Levee levee = Levee.builder().config(config).keyStore(store.keys()).usageSink(store.ledger())
 *         .listener(store.auditListener()).build();
 * }</pre>
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("levee.store");

    private final StorageConfig config;
    private final Clock clock;
    private final Database db;
    private final AuditLog audit;
    private final JdbcKeys keys;
    private final JdbcReports reports;
    private final AuditListener auditListener;
    private Ledger ledger;
    private ScheduledExecutorService maintenance;

    private Store(StorageConfig config, Clock clock, Database db) {
        this.config = config;
        this.clock = clock;
        this.db = db;
        this.audit = new AuditLog(db, clock);
        this.keys = new JdbcKeys(db, audit, clock);
        this.reports = new JdbcReports(db);
        this.auditListener = new AuditListener(audit);
    }

    public static Store open(StorageConfig config) {
        return open(config, Clock.systemUTC());
    }

    public static Store open(StorageConfig config, Clock clock) {
        Store store = new Store(config, clock, Database.open(config));
        try {
            store.ensurePartitions();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void ensurePartitions() {
        reports.ensurePartitions(java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
    }

    /** Which database this is, for messages ({@code SQLite at …}, {@code PostgreSQL at …}, no password). */
    public String description() {
        return db.description();
    }

    /** Virtual keys: the gateway's key store and their administration (audited). */
    public KeyAdmin keys() {
        return keys;
    }

    /** The usage ledger; its writer thread starts on first use and replays any spool left from before. */
    public synchronized UsageSink ledger() {
        if (ledger == null) {
            ledger = new Ledger(db, config.dataDir().resolve("spool"), config.spoolMaxBytes(), Duration.ofSeconds(1));
        }
        return ledger;
    }

    public UsageReports reports() {
        return reports;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Records refused credentials in the audit log; add it to levee's listeners. */
    public LeveeEventListener auditListener() {
        return auditListener;
    }

    /** Rows in the usage ledger. */
    public long ledgerRows() {
        return reports.count();
    }

    /**
     * Starts the periodic work of a serving gateway: ledger rows past {@code retention_days} are
     * deleted hourly (on PostgreSQL whole days are dropped, and the next week's day partitions
     * created), and the audit log's head is logged every ten minutes (and now), so that a cut
     * tail can be told from a short log.
     */
    public synchronized void startMaintenance() {
        if (maintenance != null) {
            return;
        }
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "levee-store-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleAtFixedRate(this::logHead, 0, 10, TimeUnit.MINUTES);
        maintenance.scheduleAtFixedRate(this::applyRetention, 1, 60, TimeUnit.MINUTES);
        maintenance.scheduleAtFixedRate(() -> {
            try {
                ensurePartitions();
            } catch (RuntimeException e) {
                log.warn("usage ledger: cannot create day partitions: {}", e.getMessage());
            }
        }, 60, 60, TimeUnit.MINUTES);
    }

    /** Deletes ledger rows older than the retention; returns how many. */
    public int applyRetention() {
        try {
            int deleted = reports.deleteBefore(clock.millis() - Duration.ofDays(config.retentionDays()).toMillis());
            if (deleted > 0) {
                log.info("usage ledger: {} rows older than {} days deleted", deleted, config.retentionDays());
            }
            return deleted;
        } catch (RuntimeException e) {
            log.warn("usage ledger retention failed: {}", e.getMessage());
            return 0;
        }
    }

    private void logHead() {
        try {
            log.info("audit log head {} (check later with: levee audit verify --head {})", audit.head(), audit.head());
        } catch (RuntimeException e) {
            log.warn("cannot read the audit log head: {}", e.getMessage());
        }
    }

    /** Writes what the ledger holds (to the database or the spool), then closes the connections. */
    @Override
    public synchronized void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        auditListener.close();
        if (ledger != null) {
            ledger.close();
        }
        db.close();
    }
}
