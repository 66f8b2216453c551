package dev.levee.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** The PostgreSQL these machines run at 127.0.0.1:5432 (trust auth): a fresh database per test class. */
public final class Postgres {
    public static final String HOST = "jdbc:postgresql://127.0.0.1:5432/";

    private Postgres() {
    }

    /** Creates {@code levee_test_<random>} and returns its name. */
    public static String createDatabase() {
        String name = "levee_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name);
        return name;
    }

    public static void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String url(String database) {
        return HOST + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", "");
    }

    /** Stops (false) or allows (true) new connections to {@code database}, ending the open ones when stopping. */
    public static void allowConnections(String database, boolean allow) {
        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
        if (!allow) {
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        }
    }

    private static void admin(String sql) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432: " + sql + ": " + e.getMessage(), e);
        }
    }
}
