package dev.levee.store;

import dev.levee.spi.UsageRow;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A usage row as the ledger stores (and spools) it: flat, with a row id of its own — request ids come
 * from callers and may repeat — so replaying a spool twice inserts each row once.
 */
record LedgerRow(String rowId, String requestId, long atMs, String keyId, String team, String user, String route,
                 String provider, String model, Integer tier, String status, String errorCode, int promptTokens,
                 int completionTokens, int cachedTokens, long costNanos, double latencyMs, Double ttftMs,
                 boolean stream, Map<String, String> metadata) {

    static final String INSERT = "INSERT INTO usage_ledger (row_id, request_id, at_ms, day, key_id, team, user_name,"
            + " route, provider, model, tier, status, error_code, prompt_tokens, completion_tokens, cached_tokens,"
            + " cost_nanos, latency_ms, ttft_ms, stream, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    static LedgerRow of(UsageRow r, String rowId) {
        return new LedgerRow(rowId, r.requestId(), r.at().toEpochMilli(), r.keyId(), r.team(),
                r.user(), r.route(), r.provider(), r.model(), r.tier(), r.status(), r.errorCode(), r.promptTokens(),
                r.completionTokens(), r.cachedTokens(), r.costNanos(), r.latencyMs(), r.ttftMs(), r.stream(),
                r.metadata());
    }

    void bind(PreparedStatement ps) throws SQLException {
        ps.setString(1, rowId);
        ps.setString(2, requestId);
        ps.setLong(3, atMs);
        ps.setString(4, Instant.ofEpochMilli(atMs).atOffset(ZoneOffset.UTC).toLocalDate().toString());
        ps.setString(5, keyId);
        ps.setString(6, team);
        ps.setString(7, user);
        ps.setString(8, route);
        ps.setString(9, provider);
        ps.setString(10, model);
        Sql.setInt(ps, 11, tier);
        ps.setString(12, status);
        ps.setString(13, errorCode);
        ps.setInt(14, promptTokens);
        ps.setInt(15, completionTokens);
        ps.setInt(16, cachedTokens);
        ps.setLong(17, costNanos);
        ps.setDouble(18, latencyMs);
        Sql.setDouble(ps, 19, ttftMs);
        ps.setBoolean(20, stream);
        ps.setString(21, metadata == null || metadata.isEmpty() ? null : Spool.json(metadata));
    }
}
