package dev.levee.cli;

import dev.levee.cli.logging.ConsoleColors;
import dev.levee.internal.tokens.TokenEstimator;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code levee}: the command line over the library and the simulator. */
@Command(name = "levee",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "A resilient LLM gateway for the JVM: tiered fallback, circuit breakers, retries, deadlines.",
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  success",
                "  1  no answer could be given, or an unexpected error (see levee.log)",
                "  2  invalid command line, configuration or request"})
public final class LeveeCli implements Runnable {
    /** The commands by name, in the order the usage help lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands();

    /** Bad command line, config or request: the user can fix it. */
    static final int EXIT_USAGE = 2;
    /** levee could not answer, or failed itself. */
    static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "Plain output and log lines (also when NO_COLOR is set or output is not a terminal).")
    void noColor(boolean off) {
        if (off) {
            ConsoleColors.disable();
        }
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; output and errors go to the given writers. Returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        // Decided before picocli prints anything, so --no-color also plains its usage help.
        List<String> words = Arrays.asList(args);
        if (words.contains("--no-color")) {
            ConsoleColors.disable();
        }
        // Every command but help and version needs the token table (engine or simulator): its
        // 0.1-0.3 s load then overlaps picocli's and logback's start instead of following them.
        if (!words.isEmpty() && Collections.disjoint(words, List.of("help", "-h", "--help", "-V", "--version"))) {
            TokenEstimator.preload();
        }
        return commandLine(out, err, args).execute(args);
    }

    /**
     * The command line for these arguments. picocli builds a command's model by reflection over its
     * annotations, tens of milliseconds a command on a cold JVM, so a line that names its command
     * gets only that one; help, a missing or an unknown command get them all (to list or suggest).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new LeveeCli());
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        if (COMMANDS.containsKey(named)) {
            cli.addSubcommand(named, COMMANDS.get(named));
        } else {
            COMMANDS.forEach(cli::addSubcommand);
            cli.addSubcommand(new CommandLine.HelpCommand());
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(
                ConsoleColors.enabled() ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
        return cli;
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("demo", DemoCommand.class);
        commands.put("chat", ChatCommand.class);
        commands.put("serve", ServeCommand.class);
        commands.put("simulate", SimulateCommand.class);
        commands.put("keys", KeysCommand.class);
        commands.put("usage", UsageCommand.class);
        commands.put("audit", AuditCommand.class);
        commands.put("config", ConfigCommand.class);
        commands.put("train-startup", TrainStartupCommand.class);
        return Collections.unmodifiableMap(commands);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: demo, chat or simulate");
    }
}
