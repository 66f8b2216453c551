package dev.levee.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.levee.config.StorageConfig;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.IssuedKey;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.KeySpec;
import dev.levee.spi.UsageReports;
import dev.levee.spi.UsageRow;
import dev.levee.spi.VirtualKey;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's behaviour, the same on every database: subclasses say which. */
abstract class StoreContract {
    protected Store store;

    abstract StorageConfig storage();

    /** A plain connection to the same database, to look at or tamper with it behind the store's back. */
    abstract Connection raw() throws SQLException;

    @BeforeEach
    void open() {
        store = Store.open(storage());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private IssuedKey issue(String name) {
        return store.keys().create(new KeySpec(name, "team-a", "ann", Set.of("default"), null,
                new KeyLimits(60, 10_000, 4, new BigDecimal("12.50"), "month", "standard")), "test");
    }

    private static UsageRow row(String keyId, String model, long costNanos, Instant at) {
        return new UsageRow("req-" + System.nanoTime(), at, keyId, "team-a", "ann", "default", "sim", model, 0, "ok",
                null, 10, 20, 0, costNanos, 12.5, 3.0, false, Map.of("feature_version", "v1"));
    }

    @Test
    void aCreatedKeyIsFoundByTheHashOfItsSecretWithEveryAttribute() {
        IssuedKey issued = issue("alice");
        assertThat(issued.secret()).startsWith("lv-").hasSize(46);
        VirtualKey found = store.keys().findByHash(ApiKeys.hash(issued.secret()));
        assertThat(found).isEqualTo(issued.key());
        assertThat(found.limits().budgetUsd()).isEqualByComparingTo("12.50");
        assertThat(found.routes()).containsExactly("default");
        assertThat(store.keys().findByHash(ApiKeys.hash(ApiKeys.generate()))).isNull();
        assertThat(store.keys().list()).extracting(VirtualKey::id).contains(issued.key().id());
    }

    @Test
    void theSecretIsStoredNowhere() throws SQLException {
        IssuedKey issued = issue("bob");
        store.keys().rotate(issued.key().id(), Duration.ofMinutes(1), "test");
        StringBuilder everything = new StringBuilder();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            for (String table : List.of("virtual_keys", "audit_log", "usage_ledger")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            everything.append(rs.getString(i)).append(' ');
                        }
                    }
                }
            }
        }
        assertThat(everything.toString()).contains(issued.key().id()).doesNotContain(issued.secret());
    }

    @Test
    void aRevokedKeyIsStillFoundButMarkedRevoked() {
        IssuedKey issued = issue("carol");
        VirtualKey revoked = store.keys().revoke(issued.key().id(), "test");
        assertThat(revoked.revoked()).isTrue();
        assertThat(store.keys().findByHash(ApiKeys.hash(issued.secret())).revoked()).isTrue();
        assertThat(store.keys().revoke("key_nope", "test")).isNull();
        assertThatThrownBy(() -> store.keys().rotate(issued.key().id(), Duration.ZERO, "test"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRotatedKeysOldSecretWorksForItsGraceOnly() {
        IssuedKey first = issue("dave");
        IssuedKey withGrace = store.keys().rotate(first.key().id(), Duration.ofMinutes(5), "test");
        assertThat(store.keys().findByHash(ApiKeys.hash(withGrace.secret())).id()).isEqualTo(first.key().id());
        assertThat(store.keys().findByHash(ApiKeys.hash(first.secret()))).isNotNull();
        IssuedKey noGrace = store.keys().rotate(first.key().id(), Duration.ZERO, "test");
        assertThat(store.keys().findByHash(ApiKeys.hash(withGrace.secret()))).isNull();
        assertThat(store.keys().findByHash(ApiKeys.hash(noGrace.secret()))).isNotNull();
        assertThat(noGrace.key().prefix()).isEqualTo(ApiKeys.visiblePrefix(noGrace.secret()));
    }

    @Test
    void ledgerRowsAreWrittenAndReportedWithExactCost() {
        Instant now = Instant.now();
        for (int i = 0; i < 300; i++) {
            store.ledger().accept(row(i % 3 == 0 ? "key_a" : "key_b", "m1", 1_000_000_001L, now));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> store.ledgerRows() == 300);
        List<UsageReports.Total> byKey = store.reports().report(new UsageReports.Query(UsageReports.GroupBy.KEY,
                now.minusSeconds(60), now.plusSeconds(60)));
        assertThat(byKey).extracting(UsageReports.Total::group).containsExactly("key_b", "key_a");
        assertThat(byKey.get(1).requests()).isEqualTo(100);
        assertThat(byKey.get(1).costUsd()).isEqualByComparingTo("100.000000100");
        assertThat(store.reports().report(new UsageReports.Query(UsageReports.GroupBy.DAY, now.minusSeconds(60),
                now.plusSeconds(60)))).hasSize(1);
    }

    @Test
    void aRowTheDatabaseRefusesIsDroppedWithoutHoldingUpTheOthers() {
        Instant now = Instant.now();
        store.ledger().accept(row("k", "m", 1, now));
        store.ledger().accept(new UsageRow("bad", now, "k", null, null, "default", "sim", "m", 0, null, null, 1, 1, 0,
                1, 1.0, null, false, Map.of())); // no status: the schema refuses it
        store.ledger().accept(row("k", "m", 1, now));
        await().atMost(Duration.ofSeconds(10)).until(() -> ((Ledger) store.ledger()).dropped() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.ledgerRows() == 2);
        store.ledger().accept(row("k", "m", 1, now));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.ledgerRows() == 3); // nothing was left spooled
    }

    @Test
    void keysUsageAndTheAuditLogOutliveARestart() {
        IssuedKey issued = issue("erin");
        store.ledger().accept(row(issued.key().id(), "m1", 5, Instant.now()));
        store.close();
        store = Store.open(storage());
        assertThat(store.keys().findByHash(ApiKeys.hash(issued.secret())).id()).isEqualTo(issued.key().id());
        assertThat(store.ledgerRows()).isEqualTo(1);
        assertThat(store.audit().verify(null).ok()).isTrue();
    }

    @Test
    void retentionDeletesOnlyOldRows() {
        store.ledger().accept(row("k", "m", 1, Instant.now().minus(Duration.ofDays(400))));
        store.ledger().accept(row("k", "m", 1, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.ledgerRows() == 2);
        assertThat(store.applyRetention()).isEqualTo(1);
        assertThat(store.ledgerRows()).isEqualTo(1);
    }

    @Test
    void theAuditChainHoldsAndNamesTheFirstEditedRow() throws SQLException {
        auditRows(5);
        assertThat(store.audit().verify(null).ok()).isTrue();
        execute("UPDATE audit_log SET detail = 'changed' WHERE seq = 3");
        AuditLog.Verification v = store.audit().verify(null);
        assertThat(v.badSeq()).isEqualTo(3);
        assertThat(v.problem()).contains("edited");
    }

    @Test
    void theAuditChainNamesADeletedRow() throws SQLException {
        auditRows(5);
        execute("DELETE FROM audit_log WHERE seq = 2");
        AuditLog.Verification v = store.audit().verify(null);
        assertThat(v.badSeq()).isEqualTo(2);
        assertThat(v.problem()).contains("missing");
    }

    @Test
    void theAuditChainNamesReorderedRows() throws SQLException {
        auditRows(5);
        execute("UPDATE audit_log SET seq = -1 WHERE seq = 2");
        execute("UPDATE audit_log SET seq = 2 WHERE seq = 3");
        execute("UPDATE audit_log SET seq = 3 WHERE seq = -1");
        assertThat(store.audit().verify(null).badSeq()).isEqualTo(2);
    }

    @Test
    void aCutTailIsCaughtAgainstALoggedHead() throws SQLException {
        auditRows(5);
        AuditLog.Head head = store.audit().head();
        assertThat(store.audit().verify(head).ok()).isTrue();
        execute("DELETE FROM audit_log WHERE seq >= 4");
        assertThat(store.audit().verify(null).ok()).isTrue(); // a shorter chain is still a chain…
        AuditLog.Verification v = store.audit().verify(head);   // …but not the one whose head was logged
        assertThat(v.ok()).isFalse();
        assertThat(v.problem()).contains("cut");
    }

    private void auditRows(int n) {
        for (int i = 0; i < n; i++) {
            store.audit().append("test", "test.action", "t" + i, "detail " + i);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
