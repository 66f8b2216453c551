package dev.levee.compat;

import dev.levee.config.StorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The team gateway on the embedded default: SQLite in a data directory. */
class SqliteTeamGatewayTest extends TeamGatewayContract {
    @TempDir
    Path dataDir;

    @Override
    StorageConfig storage() {
        return StorageConfig.DEFAULTS.withDataDir(dataDir);
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("levee.db"));
    }
}
