package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code levee serve} from the shaded jar in a child JVM, started in a directory of its own (stdout
 * in {@code out.txt}, stderr in {@code err.txt}), once it has said where it listens; closing it
 * stops it as SIGTERM would.
 */
final class ServeProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("levee.jar", "target/levee.jar"));
    private static final Pattern LISTENING = Pattern.compile(
            "listening on http://127\\.0\\.0\\.1:(\\d+) \\(ready in \\d+ ms(?:, warmed up on ([\\d,]+) requests)?\\)");

    final Process process;
    final URI base;
    /** The requests its warm-up sent, or 0 without one. */
    final int warmedUpOn;
    private final Path dir;

    private ServeProcess(Process process, Path dir, Matcher listening) {
        this.process = process;
        this.dir = dir;
        this.base = URI.create("http://127.0.0.1:" + listening.group(1));
        this.warmedUpOn = listening.group(2) == null ? 0 : Integer.parseInt(listening.group(2).replace(",", ""));
    }

    /** Starts {@code java JVM_OPTIONS -jar levee.jar serve --port 0 SERVE_ARGS} in {@code dir}. */
    static ServeProcess start(Path dir, List<String> jvmOptions, String... serveArgs) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), "serve", "--port", "0"));
        command.addAll(List.of(serveArgs));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("LEVEE_DATA_DIR");
        pb.environment().remove("LEVEE_MASTER_KEY");
        Process process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(dir.resolve("out.txt")));
            if (m.find()) {
                return new ServeProcess(process, dir, m);
            }
            assertThat(process.isAlive()).as("levee serve is running: %s", Files.readString(dir.resolve("err.txt")))
                    .isTrue();
            Thread.sleep(50);
        }
        process.destroy();
        throw new AssertionError("levee serve did not say where it listens: " + Files.readString(dir.resolve("out.txt")));
    }

    /** What it wrote to stderr so far. */
    String err() throws IOException {
        return Files.readString(dir.resolve("err.txt"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
