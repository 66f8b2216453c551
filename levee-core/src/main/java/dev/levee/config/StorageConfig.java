package dev.levee.config;

import java.nio.file.Path;

/**
 * Where keys, the usage ledger and the audit log are kept: SQLite in the data directory by default,
 * PostgreSQL when {@code url} is a {@code jdbc:postgresql:} URL.
 *
 * @param url a PostgreSQL JDBC URL, or {@code null} for the embedded SQLite file in {@code dataDir}
 * @param user the database user, or {@code null}
 * @param password the database password, or {@code null}
 * @param dataDir the SQLite file and the ledger's spool live here ({@code --data-dir})
 * @param poolSize connections to PostgreSQL
 * @param retentionDays ledger rows older than this are deleted
 * @param spoolMaxBytes how much of the ledger may wait on disk while the database is unreachable
 */
public record StorageConfig(String url, String user, Secret password, Path dataDir, int poolSize, int retentionDays,
                            long spoolMaxBytes) {
    /** Names the default data directory; without it, {@code levee-data} in the working directory. */
    public static final String DATA_DIR_ENV = "LEVEE_DATA_DIR";
    public static final StorageConfig DEFAULTS = new StorageConfig(null, null, null, defaultDataDir(), 8, 90,
            256L * 1024 * 1024);

    public StorageConfig {
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:postgresql:// URL (leave it out for the embedded"
                    + " SQLite database in the data directory)");
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("pool_size must be in [1, 200]");
        }
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retention_days must be >= 1");
        }
        if (spoolMaxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("spool_max_bytes must be >= 1048576");
        }
    }

    private static Path defaultDataDir() {
        String dir = System.getenv(DATA_DIR_ENV);
        return Path.of(dir == null || dir.isBlank() ? "levee-data" : dir.trim());
    }

    /** {@code path} itself when absolute, else under the data directory: where levee's files go by default. */
    public Path resolve(Path path) {
        return path.isAbsolute() ? path : dataDir.resolve(path);
    }

    public boolean embedded() {
        return url == null;
    }

    public StorageConfig withDataDir(Path dir) {
        return new StorageConfig(url, user, password, dir, poolSize, retentionDays, spoolMaxBytes);
    }
}
