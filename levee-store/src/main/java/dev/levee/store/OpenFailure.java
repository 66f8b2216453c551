package dev.levee.store;

import java.util.Locale;

/** Turns why a database could not be opened into a sentence a person can act on. */
final class OpenFailure {
    private OpenFailure() {
    }

    static String explain(Throwable error, boolean postgres) {
        String all = chain(error);
        String lower = all.toLowerCase(Locale.ROOT);
        if (!postgres && (lower.contains("not a database") || lower.contains("sqlite_notadb")
                || lower.contains("malformed") || lower.contains("sqlite_corrupt"))) {
            return "the file is not a readable SQLite database (corrupt, or not levee's); levee leaves it as it is"
                    + " — restore it from a backup, or move it aside to start with an empty database";
        }
        if (!postgres && (lower.contains("sqlite_busy") || lower.contains("database is locked"))) {
            return "the database is locked by another process (another levee, or a tool holding a write"
                    + " transaction); stop it and start again";
        }
        if (!postgres && (lower.contains("readonly") || lower.contains("permission denied")
                || lower.contains("sqlite_cantopen"))) {
            return "the database file cannot be opened for writing (permissions?): " + first(error);
        }
        if (postgres && (lower.contains("connection refused") || lower.contains("connect"))) {
            return "cannot connect (is PostgreSQL running, and the URL right?): " + first(error);
        }
        return "cannot open the database: " + first(error);
    }

    private static String chain(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** The innermost cause's message: usually the database's own words. */
    private static String first(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
