package dev.levee.cli;

import dev.levee.config.ConfigLoader;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code levee train-startup}: the workload the launcher records its ahead-of-time cache on (JDK 25,
 * {@code -XX:AOTCacheOutput}). The cache holds the classes a run loaded and linked, and on JDK 25 the
 * profiles of the methods it ran, so the training walks the paths a real start walks: a gateway
 * started as {@code levee serve} starts one, the request path as {@link Warmup} exercises it, then a
 * chat through the library as {@code levee chat} does.
 * Hidden: users never need it.
 */
@Command(name = "train-startup", hidden = true,
        description = "Runs the gateway and a chat on in-process simulators, for the launcher's AOT cache.")
final class TrainStartupCommand implements Callable<Integer> {
    private static final String CONFIG = "/dev/levee/cli/startup-training.yaml";
    /**
     * How long the workload runs. Long enough that the hot methods' profiles are mature when the
     * cache is written (JDK 25 keeps them, JEP 515): a `levee serve` started with the cache compiles
     * from them at once instead of profiling the first callers' requests first.
     */
    private static final Duration TRAINING = Duration.ofSeconds(6);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // A data directory of its own: training must not leave a database where the launcher ran.
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("levee-train-");
        var config = ConfigLoader.loadResource(CONFIG, "startup training config");
        try {
            // the classes a real start loads (store, prompt hash key, admin routes), then the request path
            ServeCommand.start(config.withStorage(config.storage().withDataDir(data))).stop(Duration.ofSeconds(5));
        } finally {
            Warmup.deleteTree(data);
        }
        Warmup.run(TRAINING);
        CommandLine cli = spec.root().commandLine();
        return LeveeCli.run(cli.getOut(), cli.getErr(), "chat", "--no-color", "warm up");
    }
}
