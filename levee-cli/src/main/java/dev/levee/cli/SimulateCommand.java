package dev.levee.cli;

import dev.levee.cli.logging.ConsoleLog;
import dev.levee.simulator.FaultSpec;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code levee simulate}: the fake LLM server, standalone, until SIGTERM or Ctrl-C. */
@Command(name = "simulate",
        header = "Run a fake LLM server (Ollama, OpenAI, Anthropic APIs) with injectable faults.",
        description = "Runs a fake LLM server speaking Ollama's, OpenAI's and Anthropic's wire formats, with"
                + " deterministic answers, simulated latency and injectable faults. Stops on Ctrl-C or SIGTERM.",
        footerHeading = "%nFault specs (comma-separated items):%n",
        footer = {
                "  errors:  status=N  retry_after=S  reset  hang",
                "           context_length  content_filter  not_found  unauthorized",
                "  timing:  ttft=MS  token_ms=MS",
                "  streams: cut_after=N  stall_after=N  malformed_at=N  error_after=N  no_done",
                "  when:    rate=P  times=N        (none: no fault)",
                "  e.g. --fault gemma3:4b=status=503   --fault '*=rate=0.3,status=502'",
                "A request may also ask for one with the header X-Simulator-Fault: SPEC."})
final class SimulateCommand implements Callable<Integer> {
    static final List<String> ENDPOINTS = List.of(
            "POST /api/chat               Ollama chat (NDJSON stream)",
            "POST /v1/chat/completions    OpenAI chat completions (SSE stream)",
            "POST /v1/messages            Anthropic messages (SSE stream)",
            "GET  /api/tags               Ollama model list",
            "GET  /v1/models              OpenAI model list",
            "GET  /health                 liveness");

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "11434",
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}, Ollama's, so Ollama clients work unchanged).")
    int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--ttft", paramLabel = "MS", defaultValue = "50",
            description = "Simulated time to first token in ms (default: ${DEFAULT-VALUE}).")
    long ttftMillis;

    @Option(names = "--token-ms", paramLabel = "MS", defaultValue = "2",
            description = "Simulated delay per token in ms (default: ${DEFAULT-VALUE}).")
    long tokenMillis;

    @Option(names = "--fault", paramLabel = "MODEL=SPEC",
            description = "A fault for a model ('*' for every model), e.g. gemma3:4b=status=503. Repeatable.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--known-model", paramLabel = "NAME",
            description = "Serve only these models (others get 404 model not found). Repeatable; default: any name.")
    List<String> knownModels = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        // The simulator notes each request at DEBUG: standalone, that is what its user wants to see.
        ConsoleLog.defaultLevel("DEBUG");
        Simulator simulator = start();
        CountDownLatch stopped = new CountDownLatch(1);
        PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            out.println("levee simulator stopped");
            out.flush();
            stopped.countDown();
        }, "levee-simulator-shutdown"));
        printBanner(simulator, out);
        stopped.await();
        return 0;
    }

    /** Starts the simulator with this command's options; the caller closes it. */
    Simulator start() {
        if (ttftMillis < 0 || tokenMillis < 0) {
            throw new ErrorReporter.UsageProblem("--ttft and --token-ms must not be negative");
        }
        SimulatorConfig.Builder config = SimulatorConfig.builder()
                .host(host)
                .port(port)
                .defaultLatency(Latency.ofMillis(ttftMillis, tokenMillis))
                .knownModels(new java.util.LinkedHashSet<>(knownModels));
        parseFaults().forEach(config::fault);
        try {
            return Simulator.start(config.build());
        } catch (IllegalStateException | IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ErrorReporter.UsageProblem("cannot start the simulator on " + host + ":" + port + ": "
                    + cause.getMessage());
        }
    }

    Map<String, FaultSpec> parseFaults() {
        Map<String, FaultSpec> specs = new java.util.LinkedHashMap<>();
        for (String fault : faults) {
            int eq = fault.indexOf('=');
            if (eq <= 0 || eq == fault.length() - 1) {
                throw new ErrorReporter.UsageProblem("--fault '" + fault + "': expected MODEL=SPEC, e.g. gemma3:4b=status=503");
            }
            String model = fault.substring(0, eq);
            try {
                specs.put(model, FaultSpec.parse(fault.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new ErrorReporter.UsageProblem("--fault '" + fault + "' (MODEL=SPEC): " + e.getMessage());
            }
        }
        return specs;
    }

    private void printBanner(Simulator simulator, PrintWriter out) {
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + simulator.port();
        out.println(Style.title("levee simulator listening on " + url));
        for (String endpoint : ENDPOINTS) {
            out.println("  " + endpoint);
        }
        out.println("latency: first token " + ttftMillis + " ms, then " + tokenMillis + " ms per token");
        simulatorFaults().forEach(line -> out.println(Style.warn("fault: " + line)));
        out.println(knownModels.isEmpty() ? "models: any name" : "models: " + String.join(", ", knownModels));
        out.println(Style.dim("OpenAI clients: base URL " + url + "/v1   Ollama clients: " + url + "   Ctrl-C to stop"));
        out.flush();
    }

    private List<String> simulatorFaults() {
        List<String> lines = new ArrayList<>();
        parseFaults().forEach((model, spec) -> lines.add(model + " -> " + spec));
        return lines;
    }
}
