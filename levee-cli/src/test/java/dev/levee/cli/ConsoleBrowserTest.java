package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The web console in a real browser: Debian's Chromium driven by Playwright (src/test/console,
 * run with Node) against {@code levee serve} with authentication, the key store and two routes, one
 * of whose primary targets always fails. Screenshots land in target/console-screenshots.
 *
 * <p>It needs Node, {@code /usr/bin/chromium} and {@code npm ci} in src/test/console; without them
 * it is skipped, unless {@code LEVEE_BROWSER_TESTS=1} (as CI sets it) makes their absence a failure.
 */
class ConsoleBrowserTest {
    private static final Path SUITE = Path.of(System.getProperty("levee.console.suite", "src/test/console"));
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String MASTER = "lv-console-master-0123456789abcdef";
    private static final String READER = "lv-console-reader-0123456789abcdef";

    @Test
    void theConsoleWorksInARealBrowserUnderTraffic(@TempDir Path dir) throws Exception {
        String missing = !Files.isDirectory(SUITE.resolve("node_modules/playwright-core")) ? "npm ci in " + SUITE
                : !Files.isExecutable(CHROMIUM) ? CHROMIUM + " (Debian's chromium package)"
                : node() == null ? "node on the PATH" : null;
        if (missing != null) {
            if ("1".equals(System.getenv("LEVEE_BROWSER_TESTS"))) {
                fail("the browser test needs " + missing);
            }
            assumeTrue(false, "the browser test needs " + missing + " (LEVEE_BROWSER_TESTS=1 makes this a failure)");
        }
        Path config = dir.resolve("levee.yaml");
        Files.writeString(config, """
                server: { host: 127.0.0.1, port: 0 }
                providers:
                  sim:
                    type: simulator
                    wire: ollama
                    first_token: 5ms
                    per_token: 1ms
                    faults:
                      broken: "status=503"
                routes:
                  default:
                    tiers:
                      - target: sim/gemma3:4b
                      - target: sim/gemma3:1b
                  flaky:
                    tiers:
                      - target: sim/broken
                      - target: sim/gemma3:1b
                resilience:
                  retry: { max_attempts: 1 }
                  circuit_breaker: { consecutive_failures: 3, window: 20, minimum_calls: 10, open_for: 10m }
                auth: { master_key: %s, metrics_token: %s }
                monitoring: { telemetry: { enabled: false } }
                """.formatted(MASTER, READER));
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--config", config.toString(), "--port", "0", "--data-dir",
                dir.resolve("data").toString());
        ServeCommand.Running running = command.start();
        Path screenshots = Path.of("console-screenshots").toAbsolutePath(); // tests run in target/
        Files.createDirectories(screenshots);
        Path log = Path.of("console-browser-test.log").toAbsolutePath();
        try {
            ProcessBuilder node = new ProcessBuilder(node(), "--test", "--test-reporter=spec", "console.test.mjs")
                    .directory(SUITE.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            node.environment().put("LEVEE_URL", "http://127.0.0.1:" + running.server().port());
            node.environment().put("LEVEE_MASTER_KEY", MASTER);
            node.environment().put("LEVEE_READER_KEY", READER);
            node.environment().put("LEVEE_SCREENSHOTS", screenshots.toString());
            Process p = node.start();
            if (!p.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the browser test did not finish in 5 minutes; see " + log);
            }
            String output = Files.readString(log);
            assertThat(p.exitValue()).as("node --test console.test.mjs:\n" + output).isZero();
            assertThat(screenshots.resolve("console-overview.png")).isNotEmptyFile();
        } finally {
            running.stop(Duration.ofSeconds(1));
        }
    }

    private static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
