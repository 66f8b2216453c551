package dev.levee.internal.observe.telemetry;

import dev.levee.spi.TelemetryRecord;
import dev.levee.spi.TelemetrySink;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.levee.internal.observe.BatchWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records as JSON lines to a file, rotated by size ({@code file.1} … {@code file.N}). The
 * event loop only enqueues; a {@link BatchWriter} thread serialises what has queued up, writes it
 * in batches and rotates, so file I/O never blocks a request's event loop. A full queue drops the
 * record and counts it — the request path never waits for disk.
 */
public final class JsonlTelemetrySink implements TelemetrySink {
    private static final Logger log = LoggerFactory.getLogger("levee.telemetry");
    private static final JsonFactory JSON = new JsonFactory();

    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private final AtomicLong dropped = new AtomicLong();
    private final BatchWriter<TelemetryRecord> writer;
    private OutputStream out;
    private long size;
    /** One record's line, serialised here first (its size decides rotation); reused by the writer thread. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(2048);

    /**
     * @throws dev.levee.config.ConfigException when the file cannot be created or appended to: said at
     *     start, rather than as an error on the writer thread at the first request
     */
    public JsonlTelemetrySink(Path path, long maxBytes, int maxFiles) {
        this.path = path.toAbsolutePath();
        try {
            open();
            closeFile();
        } catch (IOException | RuntimeException e) {
            throw new dev.levee.config.ConfigException("monitoring.telemetry.path: cannot write to " + this.path
                    + ": " + e + " (set another path, or monitoring.telemetry.enabled: false)");
        }
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        // Idle: flush what was written; a record lands in the file within ~10 ms. (Short, too,
        // because a queued record is copied by each young collection while it waits: BatchWriter.)
        this.writer = new BatchWriter<>("levee-telemetry-writer", 65_536, Duration.ofMillis(10), this::writeAll,
                this::flush, this::closeFile);
    }

    @Override
    public void accept(TelemetryRecord record) {
        if (!writer.offer(record)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, …: say it, without flooding the log
                log.warn("telemetry queue full: {} records dropped so far", n);
            }
        }
    }

    /** Records dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    public Path path() {
        return path;
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        writer.close(Duration.ofSeconds(10));
    }

    private void writeAll(List<TelemetryRecord> batch) {
        for (TelemetryRecord r : batch) {
            write(r);
        }
    }

    private void write(TelemetryRecord record) {
        try {
            line.reset();
            try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
                TelemetryJson.write(g, record);
            }
            line.write('\n');
            if (out == null) {
                open();
            }
            if (size > 0 && size + line.size() > maxBytes) {
                rotate();
            }
            line.writeTo(out);
            size += line.size();
        } catch (IOException e) {
            log.error("cannot write telemetry to {}: {}", path, e.toString());
            closeFile();
        }
    }

    private void open() throws IOException {
        Path dir = path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(path);
    }

    private void rotate() throws IOException {
        closeFile();
        for (int i = maxFiles - 1; i >= 1; i--) {
            Path from = sibling(i);
            if (Files.exists(from)) {
                Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(sibling(maxFiles + 1));
        open();
    }

    private Path sibling(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            log.error("cannot flush telemetry to {}: {}", path, e.toString());
        }
    }

    private void closeFile() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // nothing more can be done for this file
        } finally {
            out = null;
        }
    }
}
