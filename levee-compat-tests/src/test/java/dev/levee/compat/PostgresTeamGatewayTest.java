package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.config.StorageConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team gateway on PostgreSQL at 127.0.0.1:5432 (a fresh database for this class), and the
 * database going away in the middle of a load: every answered request still gets its ledger row.
 */
class PostgresTeamGatewayTest extends TeamGatewayContract {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static String database;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = "levee_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + database, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS virtual_keys, usage_ledger, audit_log, levee_schema_history");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    StorageConfig storage() {
        return new StorageConfig(SERVER + database, "postgres", null, dataDir, 8, 90, 64L * 1024 * 1024);
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection(SERVER + database, "postgres", "");
    }

    @Test
    void twoInstancesShareKeysAndARevokeOnOneReachesTheOtherWithinASecond() throws Exception {
        start();
        try (TeamGateway other = new TeamGateway(storage())) {
            JsonNode created = gateway.createKey("{\"name\":\"shared\"}");
            String key = created.get("key").asText();
            await().atMost(Duration.ofSeconds(2)).until(() -> other.chat(key, "default").statusCode() == 200);
            assertThat(gateway.admin("DELETE", "/levee/admin/keys/" + created.get("id").asText(), null).statusCode())
                    .isEqualTo(200);
            assertThat(gateway.chat(key, "default").statusCode()).isEqualTo(401); // at once where it was revoked
            long revokedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> other.chat(key, "default").statusCode() == 401);
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofMillis(1500));
            assertThat(gateway.store.audit().verify(null).ok()).isTrue();
        }
    }

    @Test
    void theDatabaseStoppedMidLoadLosesNoLedgerRow() throws Exception {
        start();
        String key = gateway.createKey("{\"name\":\"load\"}").get("key").asText();
        for (int i = 0; i < 20; i++) {
            gateway.chat(key, "default"); // the key is cached now: it keeps working through the outage
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.store.ledgerRows() == 20);
        AtomicInteger answered = new AtomicInteger(20);
        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        try {
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> r = gateway.chat(key, "default");
                if (r.statusCode() == 200) {
                    answered.incrementAndGet();
                }
            }
            Thread.sleep(1500); // long enough for the ledger to meet the outage and spool
        } finally {
            admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        }
        assertThat(answered.get()).isEqualTo(120);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> gateway.store.ledgerRows() == answered.get());
    }
}
