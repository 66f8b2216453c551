package dev.levee.cli;

import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.config.StorageConfig;
import dev.levee.store.Store;
import dev.levee.store.StoreException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command finds levee's database: {@code storage} of the config (PostgreSQL when it has a
 * url), else SQLite in the data directory. The admin commands open it directly rather than calling a
 * running gateway's API: they work when no gateway runs, need no master key in the shell's history,
 * and whoever may read the data directory or the config's database already holds everything in it.
 */
final class StoreOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "A levee.yaml whose storage section names the database.")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The data directory: the embedded SQLite database and the ledger's spool (default: storage.data_dir, ./levee-data).")
    Path dataDir;

    LeveeConfig loadConfig() {
        LeveeConfig cfg = config == null ? ConfigLoader.loadDefault() : ConfigLoader.load(config);
        return dataDir == null ? cfg : cfg.withStorage(cfg.storage().withDataDir(dataDir));
    }

    StorageConfig storage() {
        return loadConfig().storage();
    }

    Store open() {
        try {
            return Store.open(storage());
        } catch (StoreException e) {
            throw new ErrorReporter.UsageProblem(e.getMessage());
        }
    }

    /** Who the audit log names for a change made from this command line. */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }
}
