package dev.levee.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.IssuedKey;
import dev.levee.spi.KeyAdmin;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.KeySpec;
import dev.levee.spi.VirtualKey;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Virtual keys in the database, each change audited in the same transaction. */
final class JdbcKeys implements KeyAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, prefix, name, team, user_name, routes, created_at, expires_at,"
            + " revoked_at, rpm, tpm, max_concurrent, budget_usd, budget_period, priority";

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    JdbcKeys(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public VirtualKey findByHash(String keyHash) {
        long now = clock.millis();
        return query("SELECT " + COLUMNS + " FROM virtual_keys WHERE key_hash = ?"
                + " UNION ALL SELECT " + COLUMNS + " FROM virtual_keys WHERE previous_hash = ? AND previous_valid_until > ?",
                keyHash, keyHash, now).stream().findFirst().orElse(null);
    }

    @Override
    public IssuedKey create(KeySpec spec, String actor) {
        String secret = ApiKeys.generate();
        String id = "key_" + HexFormat.of().formatHex(randomBytes(8));
        Instant now = Instant.ofEpochMilli(clock.millis());
        VirtualKey key = new VirtualKey(id, ApiKeys.visiblePrefix(secret), spec.name(), spec.team(), spec.user(),
                spec.routes(), now, spec.expiresAt(), null, spec.limits());
        Sql.run(db, c -> {
            insert(c, key, ApiKeys.hash(secret));
            audit.append(c, actor, "key.create", id, describe(key));
            return null;
        });
        return new IssuedKey(key, secret);
    }

    @Override
    public List<VirtualKey> list() {
        return query("SELECT " + COLUMNS + " FROM virtual_keys ORDER BY created_at DESC, id");
    }

    @Override
    public VirtualKey get(String id) {
        return query("SELECT " + COLUMNS + " FROM virtual_keys WHERE id = ?", id).stream().findFirst().orElse(null);
    }

    @Override
    public VirtualKey revoke(String id, String actor) {
        long now = clock.millis();
        boolean found = Sql.run(db, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE virtual_keys SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE id = ?")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setString(3, id);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            audit.append(c, actor, "key.revoke", id, null);
            return true;
        });
        return found ? get(id) : null;
    }

    @Override
    public IssuedKey rotate(String id, Duration grace, String actor) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0");
        }
        VirtualKey key = get(id);
        if (key == null) {
            return null;
        }
        if (key.revoked()) {
            throw new IllegalArgumentException("key " + id + " is revoked; a revoked key cannot be rotated");
        }
        String secret = ApiKeys.generate();
        long now = clock.millis();
        Sql.run(db, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE virtual_keys SET previous_hash = key_hash,"
                    + " previous_valid_until = ?, key_hash = ?, prefix = ?, updated_at = ? WHERE id = ?")) {
                ps.setLong(1, now + grace.toMillis());
                ps.setString(2, ApiKeys.hash(secret));
                ps.setString(3, ApiKeys.visiblePrefix(secret));
                ps.setLong(4, now);
                ps.setString(5, id);
                ps.executeUpdate();
            }
            audit.append(c, actor, "key.rotate", id, "grace_seconds=" + grace.toSeconds());
            return null;
        });
        return new IssuedKey(get(id), secret);
    }

    private List<VirtualKey> query(String sql, Object... args) {
        return Sql.read(db, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                List<VirtualKey> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(key(rs));
                    }
                }
                return keys;
            }
        });
    }

    private static void insert(Connection c, VirtualKey k, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO virtual_keys (id, key_hash, prefix, name, team,"
                + " user_name, routes, created_at, expires_at, revoked_at, rpm, tpm, max_concurrent, budget_usd,"
                + " budget_period, priority, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, k.id());
            ps.setString(2, hash);
            ps.setString(3, k.prefix());
            ps.setString(4, k.name());
            ps.setString(5, k.team());
            ps.setString(6, k.user());
            ps.setString(7, routesJson(k.routes()));
            ps.setLong(8, k.createdAt().toEpochMilli());
            Sql.setLong(ps, 9, k.expiresAt() == null ? null : k.expiresAt().toEpochMilli());
            ps.setNull(10, Types.BIGINT);
            KeyLimits l = k.limits();
            Sql.setInt(ps, 11, l.rpm());
            Sql.setInt(ps, 12, l.tpm());
            Sql.setInt(ps, 13, l.maxConcurrent());
            ps.setString(14, l.budgetUsd() == null ? null : l.budgetUsd().toPlainString());
            ps.setString(15, l.budgetPeriod());
            ps.setString(16, l.priority());
            ps.setLong(17, k.createdAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    private static VirtualKey key(ResultSet rs) throws SQLException {
        String budget = rs.getString("budget_usd");
        KeyLimits limits = new KeyLimits(Sql.getInt(rs, "rpm"), Sql.getInt(rs, "tpm"), Sql.getInt(rs, "max_concurrent"),
                budget == null ? null : new BigDecimal(budget), rs.getString("budget_period"), rs.getString("priority"));
        return new VirtualKey(rs.getString("id"), rs.getString("prefix"), rs.getString("name"), rs.getString("team"),
                rs.getString("user_name"), routes(rs.getString("routes")), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"), Sql.instant(rs, "revoked_at"), limits);
    }

    /** What the audit log records of a new key: its attributes, never its secret or hash. */
    private static String describe(VirtualKey k) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", k.name());
        d.put("team", k.team());
        d.put("user", k.user());
        d.put("routes", new TreeSet<>(k.routes()));
        d.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
        d.put("limits", k.limits().toString());
        try {
            return JSON.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String routesJson(Set<String> routes) {
        try {
            return JSON.writeValueAsString(new TreeSet<>(routes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> routes(String json) {
        try {
            return Set.copyOf(JSON.readValue(json, new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("virtual_keys.routes is not a JSON list", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
