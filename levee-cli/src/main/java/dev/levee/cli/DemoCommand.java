package dev.levee.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.levee.Levee;
import dev.levee.cli.logging.ConsoleLog;
import dev.levee.cli.logging.LeveeLogging;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code levee demo}: the demonstration (normal operation, fallback, the rule-based reply, a breaker
 * opening and recovering, statistics) on the embedded default config, with the breaker's open time
 * and the retry backoff shortened so that the whole story takes seconds.
 */
@Command(name = "demo",
        header = "Watch fallback, circuit breakers and recovery at work (no network needed).",
        description = "A demonstration on an in-process simulator (no network, no keys): normal operation,"
                + " fallback with simplified parameters, the rule-based reply, a circuit breaker opening and"
                + " recovering through half-open, and the performance statistics.")
final class DemoCommand implements Callable<Integer> {
    /** Short enough to wait for in a demo, long enough to see the breaker skip a dead tier. */
    static final Duration OPEN_FOR = Duration.ofSeconds(2);
    static final String BASE_DELAY = "20ms";
    static final String MAX_DELAY = "200ms";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        // The demo narrates; the console log shows only warnings and errors (fallbacks, breakers).
        // LEVEE_LOG_LEVEL still wins, and the file log gets everything.
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        BreakerWatch watch = new BreakerWatch();
        ConsoleLog.Restore console = ConsoleLog.defaultLevel("WARN");
        InProcessSimulators simulators = new InProcessSimulators();
        dev.levee.config.LeveeConfig config = config();
        LeveeLogging.fileUnder(config.storage().dataDir());
        try (Levee levee = Levee.builder().config(config).listener(watch).random(new SplittableRandom(42))
                .embeddedProviders(simulators).build()) {
            new Demo(levee, simulators, watch, out).run();
        } finally {
            console.close();
        }
        out.println();
        out.println(Style.title("==== End of Demo ====") + Style.dim(String.format(" (%.1f s; the DEBUG log of every"
                + " request is in %s)", (System.nanoTime() - start) / 1e9, ConsoleLog.logFile())));
        out.flush();
        return 0;
    }

    /** The embedded default config with demo timings: open_for 2s, retry backoff from 20 ms. */
    static LeveeConfig config() {
        YAMLMapper yaml = new YAMLMapper();
        try (InputStream in = ConfigLoader.class.getResourceAsStream(ConfigLoader.DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("embedded default config missing: " + ConfigLoader.DEFAULT_RESOURCE);
            }
            ObjectNode root = (ObjectNode) yaml.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            ObjectNode resilience = root.withObjectProperty("resilience");
            resilience.withObjectProperty("circuit_breaker").put("open_for", OPEN_FOR.toMillis() + "ms");
            resilience.withObjectProperty("retry").put("base_delay", BASE_DELAY).put("max_delay", MAX_DELAY);
            return ConfigLoader.parse(yaml.writeValueAsString(root), "embedded default config (demo timings)",
                    ConfigLoader.environment(Path.of("")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
