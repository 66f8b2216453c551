package dev.levee.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.levee.config.StorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A pooled connection to SQLite (a file in the data directory) or PostgreSQL, migrated at open.
 * Writes take one lock, so this process is one writer: SQLite allows only one at a time, and the
 * audit chain needs its appends in order. JDBC blocks: nothing here runs on an event loop.
 */
final class Database implements AutoCloseable {
    static final String SQLITE_FILE = "levee.db";

    /** A piece of work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final boolean postgres;
    private final String description;
    private final ReentrantLock writeLock = new ReentrantLock();

    private Database(HikariDataSource pool, boolean postgres, String description) {
        this.pool = pool;
        this.postgres = postgres;
        this.description = description;
    }

    static Database open(StorageConfig config) {
        boolean postgres = !config.embedded();
        String description = postgres ? "PostgreSQL at " + redacted(config.url())
                : "SQLite at " + config.dataDir().resolve(SQLITE_FILE);
        HikariConfig hikari = postgres ? postgres(config) : sqlite(config.dataDir());
        hikari.setPoolName("levee-db");
        // An unreachable database must fail a write in about a second, so the ledger spools instead of waiting.
        hikari.setConnectionTimeout(2_000);
        hikari.setValidationTimeout(1_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreException(description + ": " + OpenFailure.explain(e, postgres), e);
        }
        Database db = new Database(pool, postgres, description);
        try {
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException(description + ": " + OpenFailure.explain(e, postgres), e);
        }
    }

    private static HikariConfig sqlite(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);    // readers do not wait for the writer
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // durable at checkpoints; safe with WAL
        sqlite.setBusyTimeout(5_000);                            // wait for another process's write, briefly
        // A write transaction takes the write lock when it begins, not at its first write: reading the
        // audit chain's head and appending after it cannot interleave with another process.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(sqlite);
        ds.setUrl("jdbc:sqlite:" + dir.resolve(SQLITE_FILE).toAbsolutePath());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(ds);
        hikari.setMaximumPoolSize(4);
        return hikari;
    }

    private static HikariConfig postgres(StorageConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password().reveal());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        // Start even when PostgreSQL is down: the migration below then says so clearly.
        hikari.setInitializationFailTimeout(-1);
        return hikari;
    }

    private void migrate() {
        // One schema for both databases, and what only PostgreSQL has (the ledger's day partitions).
        String common = "classpath:dev/levee/store/migration/common";
        Flyway.configure().dataSource(pool)
                .locations(postgres ? new String[] {common, "classpath:dev/levee/store/migration/postgresql"}
                        : new String[] {common})
                .table("levee_schema_history").load().migrate();
    }

    /** A URL without its query string, which may hold a password. */
    static String redacted(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    boolean postgres() {
        return postgres;
    }

    String description() {
        return description;
    }

    <T> T read(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    /** One transaction, under the write lock; rolled back when {@code work} throws. */
    <T> T write(Work<T> work) throws SQLException {
        writeLock.lock();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
