package dev.levee.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levee.config.StorageConfig;
import dev.levee.spi.UsageRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on PostgreSQL (a fresh database for this class); and the ledger across an outage. */
class PostgresStoreTest extends StoreContract {
    private static String database;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void createDatabase() {
        database = Postgres.createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        Postgres.dropDatabase(database);
    }

    /** One database for the class, empty for each test. */
    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = Postgres.connect(database); var s = c.createStatement()) {
            s.execute("TRUNCATE virtual_keys, usage_ledger, audit_log");
        }
    }

    @Override
    StorageConfig storage() {
        return new StorageConfig(Postgres.url(database), "postgres", null, dataDir, 4, 90, 64L * 1024 * 1024);
    }

    @Override
    Connection raw() throws SQLException {
        return Postgres.connect(database);
    }

    @Test
    void rowsWrittenDuringAnOutageWaitInTheSpoolAndArriveWhenTheDatabaseIsBack() throws Exception {
        long before = store.ledgerRows();
        Postgres.allowConnections(database, false);
        try {
            for (int i = 0; i < 200; i++) {
                store.ledger().accept(new UsageRow("outage-" + i, Instant.now(), "key_x", null, null, "default", "sim",
                        "m", 0, "ok", null, 1, 1, 0, 1, 1.0, null, false, Map.of()));
            }
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> java.nio.file.Files.exists(dataDir.resolve("spool").resolve("usage-spool.jsonl")));
        } finally {
            Postgres.allowConnections(database, true);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.ledgerRows() == before + 200);
        assertThat(java.nio.file.Files.exists(dataDir.resolve("spool").resolve("usage-spool.jsonl"))).isFalse();
    }
}
