package dev.levee.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.config.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on its embedded default, SQLite in a data directory; and what it does with a bad file. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dataDir;

    @Override
    StorageConfig storage() {
        return StorageConfig.DEFAULTS.withDataDir(dataDir);
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.SQLITE_FILE));
    }

    @Test
    void theDatabaseRunsInWalMode() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement();
             var rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aCorruptFileIsAClearErrorAndIsLeftAsItIs(@TempDir Path other) throws Exception {
        Path file = other.resolve(Database.SQLITE_FILE);
        byte[] garbage = "this is not a database, just some bytes ".repeat(200).getBytes();
        Files.write(file, garbage);
        assertThatThrownBy(() -> Store.open(StorageConfig.DEFAULTS.withDataDir(other)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a readable SQLite database");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void aFileLockedByAnotherWriterIsAClearError(@TempDir Path other) throws Exception {
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + other.resolve(Database.SQLITE_FILE));
             Statement s = holder.createStatement()) {
            s.execute("CREATE TABLE t (x INTEGER)");
            holder.setAutoCommit(false);
            s.execute("INSERT INTO t VALUES (1)");
            s.execute("PRAGMA locking_mode = EXCLUSIVE");
            s.execute("INSERT INTO t VALUES (2)");
            assertThatThrownBy(() -> Store.open(StorageConfig.DEFAULTS.withDataDir(other)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("locked by another process");
            holder.rollback();
        }
    }
}
