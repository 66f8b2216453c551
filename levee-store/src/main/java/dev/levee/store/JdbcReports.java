package dev.levee.store;

import dev.levee.spi.UsageReports;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Usage totals by one attribute, straight from the ledger. */
final class JdbcReports implements UsageReports {
    private final Database db;

    JdbcReports(Database db) {
        this.db = db;
    }

    @Override
    public List<Total> report(Query q) {
        String column = switch (q.groupBy()) { // a fixed column per choice: nothing from the caller reaches the SQL
            case KEY -> "key_id";
            case TEAM -> "team";
            case USER -> "user_name";
            case ROUTE -> "route";
            case MODEL -> "model";
            case DAY -> "day";
        };
        String sql = "SELECT " + column + " AS grp, COUNT(*) AS requests,"
                + " SUM(CASE WHEN status = 'ok' THEN 0 ELSE 1 END) AS errors,"
                + " SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion, SUM(cost_nanos) AS cost"
                + " FROM usage_ledger WHERE at_ms >= ? AND at_ms < ? GROUP BY " + column
                + " ORDER BY cost DESC, requests DESC, grp";
        return Sql.read(db, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, q.from().toEpochMilli());
                ps.setLong(2, q.to().toEpochMilli());
                List<Total> totals = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        totals.add(new Total(rs.getString("grp"), rs.getLong("requests"), rs.getLong("errors"),
                                rs.getLong("prompt"), rs.getLong("completion"), rs.getLong("cost")));
                    }
                }
                return totals;
            }
        });
    }

    /** Rows in the ledger: for tests and the command line's summary. */
    long count() {
        return Sql.read(db, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM usage_ledger");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Deletes ledger rows older than {@code cutoffMs}; returns how many. On PostgreSQL whole day
     * partitions are dropped first, and only what is left (the default partition, the cutoff's own
     * day) is deleted row by row.
     */
    int deleteBefore(long cutoffMs) {
        return Sql.run(db, c -> {
            int dropped = db.postgres() ? DayPartitions.dropBefore(c, cutoffMs) : 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_ledger WHERE at_ms < ?")) {
                ps.setLong(1, cutoffMs);
                return dropped + ps.executeUpdate();
            }
        });
    }

    /** On PostgreSQL, the day partitions from yesterday to a week ahead; nothing on SQLite. */
    void ensurePartitions(java.time.LocalDate today) {
        if (db.postgres()) {
            Sql.read(db, c -> {
                DayPartitions.ensure(c, today.minusDays(1), DayPartitions.DAYS_AHEAD + 2);
                return null;
            });
        }
    }
}
