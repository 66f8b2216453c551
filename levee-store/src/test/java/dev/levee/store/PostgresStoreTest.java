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
            try (var rs = s.executeQuery("SELECT relname FROM pg_class WHERE relname LIKE 'usage_ledger_p1%'"
                    + " OR relname LIKE 'usage_ledger_p20%'")) {
                java.util.List<String> old = new java.util.ArrayList<>();
                while (rs.next()) {
                    old.add(rs.getString(1));
                }
                for (String p : old) {
                    if (p.compareTo(DayPartitions.name(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(30))) < 0) {
                        s.execute("DROP TABLE " + p); // a partition an earlier test made for a long-gone day
                    }
                }
            }
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
    void theLedgerIsKeptInDayPartitionsAndRetentionDropsWholeDays() throws Exception {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        java.time.LocalDate old = today.minusDays(400);
        try (Connection c = raw()) {
            DayPartitions.ensure(c, old, 1);
        }
        store.ledger().accept(new UsageRow("today", Instant.now(), "k", null, null, "default", "sim", "m", 0, "ok",
                null, 1, 1, 0, 1, 1.0, null, false, Map.of()));
        store.ledger().accept(new UsageRow("old", old.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC), "k", null,
                null, "default", "sim", "m", 0, "ok", null, 1, 1, 0, 1, 1.0, null, false, Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.ledgerRows() == 2);
        assertThat(count("SELECT COUNT(*) FROM " + DayPartitions.name(today))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM " + DayPartitions.name(old))).isEqualTo(1);
        assertThat(store.applyRetention()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM pg_class WHERE relname = '" + DayPartitions.name(old) + "'")).isZero();
        assertThat(store.ledgerRows()).isEqualTo(1);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = raw(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
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
        // The spool file is removed just after the rows it held commit, so both are awaited, not read in turn.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.ledgerRows() == before + 200
                && !java.nio.file.Files.exists(dataDir.resolve("spool").resolve("usage-spool.jsonl")));
        assertThat(store.ledgerRows()).isEqualTo(before + 200);
    }
}
