package dev.levee.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** JDBC's nullable numbers, and SQL failures as the store's own exception. */
final class Sql {
    private Sql() {
    }

    static <T> T run(Database db, Database.Work<T> work) {
        try {
            return db.write(work);
        } catch (SQLException e) {
            throw new StoreException(db.description() + ": " + e.getMessage(), e);
        }
    }

    static <T> T read(Database db, Database.Work<T> work) {
        try {
            return db.read(work);
        } catch (SQLException e) {
            throw new StoreException(db.description() + ": " + e.getMessage(), e);
        }
    }

    static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    static Integer getInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
