package dev.levee.cli;

import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.config.ProviderConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code levee config check FILE}: whether a levee.yaml loads, before a gateway is started with it. */
@Command(name = "config",
        header = "Check a configuration file.",
        description = "Loads the file as `levee serve --config FILE` would — YAML, every key, every value,"
                + " ${VAR} and .env interpolation — without starting anything. Exit 0 when it loads; else the file,"
                + " the key and the problem, and exit 2.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", header = "Load a levee.yaml and report what is wrong with it, if anything.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The levee.yaml to check.")
        Path file;

        @Override
        public Integer call() {
            LeveeConfig config = ConfigLoader.load(file); // a problem is a ConfigException: file, key, problem; exit 2
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ": ok");
            for (ProviderConfig p : config.providers().values()) {
                out.println("  provider " + p.name() + ": " + p.type().name().toLowerCase(java.util.Locale.ROOT));
            }
            config.routes().forEach((name, route) -> out.println("  route " + name + ": "
                    + String.join(" -> ", route.tiers().stream().map(t -> t.target()).toList())
                    + (route.ruleBasedFallback() ? " -> rule-based reply" : "")
                    + (name.equals(config.defaultRoute()) ? "   (default)" : "")));
            out.flush();
            return 0;
        }
    }
}
