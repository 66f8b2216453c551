package dev.levee.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's day partitions on PostgreSQL: {@code usage_ledger_pYYYYMMDD} for each UTC day,
 * created a week ahead, and dropped whole when the day is past the retention.
 */
final class DayPartitions {
    private static final Logger log = LoggerFactory.getLogger("levee.ledger");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'usage_ledger_p'yyyyMMdd");
    static final int DAYS_AHEAD = 7;

    private DayPartitions() {
    }

    static String name(LocalDate day) {
        return NAME.format(day);
    }

    /** Creates the partitions of {@code days} days from {@code first}; a day that cannot be created is logged. */
    static void ensure(Connection c, LocalDate first, int days) throws SQLException {
        for (int i = 0; i < days; i++) {
            LocalDate day = first.plusDays(i);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + name(day) + " PARTITION OF usage_ledger FOR VALUES FROM ("
                        + start(day) + ") TO (" + start(day.plusDays(1)) + ")");
            } catch (SQLException e) {
                // e.g. the default partition already holds rows of that day: they stay there
                log.warn("usage ledger: cannot create the partition for {}: {}", day, e.getMessage());
                if (!c.getAutoCommit()) {
                    throw e;
                }
            }
        }
    }

    /** Drops the partitions of days that end at or before {@code cutoffMs}; returns the rows they held. */
    static int dropBefore(Connection c, long cutoffMs) throws SQLException {
        int rows = 0;
        for (String partition : partitions(c)) {
            LocalDate day;
            try {
                day = LocalDate.parse(partition, NAME);
            } catch (RuntimeException e) {
                continue; // the default partition, or one not ours
            }
            if (start(day.plusDays(1)) <= cutoffMs) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + partition)) {
                    rs.next();
                    rows += rs.getInt(1);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + partition);
                }
            }
        }
        return rows;
    }

    private static List<String> partitions(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits i"
                + " JOIN pg_class child ON child.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent"
                + " WHERE parent.relname = 'usage_ledger'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static long start(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
