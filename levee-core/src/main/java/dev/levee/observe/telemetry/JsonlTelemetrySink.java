package dev.levee.observe.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records as JSON lines to a file, rotated by size ({@code file.1} … {@code file.N}). The
 * event loop only enqueues; one daemon thread wakes every 50 ms, serialises what has queued up,
 * writes it in one batch and rotates, so file I/O never blocks a request (STACK.md P1). A full queue drops the record and counts it — the
 * request path never waits for disk.
 */
public final class JsonlTelemetrySink implements TelemetrySink {
    private static final Logger log = LoggerFactory.getLogger("levee.telemetry");
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    /**
     * How long the writer sleeps when the queue is empty. It is never woken per record: on a small
     * VM, waking a parked thread for every request cost more CPU than serialising the record.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private final BlockingQueue<TelemetryRecord> queue = new ArrayBlockingQueue<>(65_536);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    private OutputStream out;
    private long size;

    public JsonlTelemetrySink(Path path, long maxBytes, int maxFiles) {
        this.path = path.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.writer = new Thread(this::drain, "levee-telemetry-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(TelemetryRecord record) {
        if (!queue.offer(record)) {
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
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<TelemetryRecord> batch = new ArrayList<>(1024);
        while (true) {
            queue.drainTo(batch, 1024);
            if (batch.isEmpty()) {
                flush();
                if (closing) {
                    closeFile();
                    return;
                }
                LockSupport.parkNanos(this, LINGER_NANOS);
                continue;
            }
            for (TelemetryRecord r : batch) {
                write(r);
            }
            batch.clear();
        }
    }

    private void write(TelemetryRecord record) {
        try {
            byte[] line = JSON.writeValueAsBytes(record);
            if (out == null) {
                open();
            }
            if (size > 0 && size + line.length + 1 > maxBytes) {
                rotate();
            }
            out.write(line);
            out.write('\n');
            size += line.length + 1;
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
