package dev.levee.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Ledger rows waiting on disk while the database is unreachable: one JSON line each, in the data
 * directory, so neither an outage nor a restart loses them. Bounded: past {@code maxBytes} rows are
 * refused (and counted by the caller). Used by the ledger's writer thread only.
 */
final class Spool {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final long maxBytes;
    private long bytes;

    Spool(Path dir, long maxBytes) {
        this.file = dir.resolve("usage-spool.jsonl");
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            this.bytes = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the spool directory " + dir, e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isEmpty() {
        return bytes == 0;
    }

    /** Appends rows; returns how many did not fit. */
    int append(List<LedgerRow> rows) throws IOException {
        int dropped = 0;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (LedgerRow row : rows) {
                String line = json(row) + "\n";
                if (bytes + line.length() > maxBytes) {
                    dropped++;
                    continue;
                }
                w.write(line);
                bytes += line.length();
            }
        }
        return dropped;
    }

    /** Every spooled row, in order; an unreadable line (a torn last write) is skipped. */
    List<LedgerRow> read() throws IOException {
        List<LedgerRow> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                try {
                    rows.add(JSON.readValue(line, LedgerRow.class));
                } catch (JsonProcessingException e) {
                    // a line cut by a crash mid-write: the rest of the file is still good
                }
            }
        }
        return rows;
    }

    /** Forgets the spooled rows: they are in the database now. */
    void clear() throws IOException {
        Files.deleteIfExists(file);
        bytes = 0;
    }
}
