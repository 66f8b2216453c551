package dev.levee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.Attempt;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.config.TierConfig;
import dev.levee.simulator.ReceivedRequest;
import dev.levee.simulator.Simulator;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The six sections of {@code levee demo}, on one {@link Levee} whose tiers run on its in-process simulator. */
final class Demo {
    static final String PROVIDER = "sim";
    static final String HEADING_NORMAL = "Testing normal operation";
    static final String HEADING_FALLBACK = "Testing fallback with simplified parameters";
    static final String HEADING_RULE_BASED = "Testing all models failing: rule-based reply";
    static final String HEADING_BREAKER = "Testing the circuit breaker";
    static final String HEADING_RECOVERY = "Testing recovery through half-open";
    static final String HEADING_STATS = "Performance statistics";

    private final Levee levee;
    private final BreakerWatch watch;
    private final PrintWriter out;
    private final Simulator simulator;
    private final List<TierConfig> tiers;
    private int requests;

    Demo(Levee levee, InProcessSimulators simulators, BreakerWatch watch, PrintWriter out) {
        this.levee = levee;
        this.watch = watch;
        this.out = out;
        this.simulator = simulators.simulator(PROVIDER).orElseThrow(() -> new IllegalStateException(
                "the demo config needs an in-process simulator provider named '" + PROVIDER + "'"));
        this.tiers = levee.config().route(null).tiers();
    }

    void run() throws InterruptedException {
        out.println(Style.title("===== levee demo ====="));
        out.println("Route: " + tiers.stream().map(Demo::describe).collect(Collectors.joining(" -> "))
                + " -> rule-based reply");
        out.println(Style.dim("All tiers run on levee's in-process simulator: no network, no keys. Demo timings: "
                + "breaker open_for " + DemoCommand.OPEN_FOR.toSeconds() + "s, retry backoff from "
                + DemoCommand.BASE_DELAY + "."));
        normalOperation();
        fallback();
        ruleBased();
        new BreakerDemo(this).run();
        statistics();
    }

    private void normalOperation() {
        section(HEADING_NORMAL);
        ChatResponse r = send("Explain circuit breakers in software architecture", CallOptions.DEFAULTS, null, null);
        answer(r);
        metadata(r);
    }

    private void fallback() {
        section(HEADING_FALLBACK);
        out.println(Style.dim("The primary tier is made to fail (CallOptions.forcePrimaryFailure); the caller asks"
                + " for max_tokens 200, temperature 0.7."));
        int before = simulator.journal().size();
        ChatResponse r = send("What is the capital of France?",
                CallOptions.builder().forcePrimaryFailure(true).build(), 200, 0.7);
        answer(r);
        trail(r);
        TierConfig tier = tiers.get(r.fallbackLevel());
        out.println("What " + tier.model() + " received (the simulator's journal of the Ollama request):");
        List<ReceivedRequest> received = simulator.journal().all();
        for (ReceivedRequest req : received.subList(before, received.size())) {
            JsonNode options = req.body().path("options");
            out.println("    model " + req.model() + ": num_predict (max_tokens) = " + options.path("num_predict")
                    + ", temperature = " + options.path("temperature")
                    + Style.dim("   (the tier's caps: max_tokens " + tier.maxTokens() + ", temperature "
                    + tier.temperature() + ")"));
        }
        metadata(r);
    }

    private void ruleBased() {
        section(HEADING_RULE_BASED);
        out.println(Style.dim("Every model tier is made to fail (CallOptions.forceAllModelsFail); the prompt has the"
                + " keyword 'hello'."));
        ChatResponse r = send("Hello! Is anyone there?", CallOptions.builder().forceAllModelsFail(true).build(),
                null, null);
        answer(r);
        trail(r);
        metadata(r);
    }

    private void statistics() {
        section(HEADING_STATS);
        out.println(Json.pretty(levee.recentPerformance()));
        out.println();
        out.println("Model usage:");
        out.println(Json.pretty(levee.modelUsage()));
    }

    // ---- shared by the sections -------------------------------------------------------------

    ChatResponse send(String prompt, CallOptions options, Integer maxTokens, Double temperature) {
        requests++;
        return levee.complete(ChatRequest.builder().user(prompt).maxTokens(maxTokens).temperature(temperature)
                .options(options).build());
    }

    int requestNumber() {
        return requests;
    }

    Levee levee() {
        return levee;
    }

    BreakerWatch watch() {
        return watch;
    }

    Simulator simulator() {
        return simulator;
    }

    TierConfig primary() {
        return tiers.get(0);
    }

    PrintWriter out() {
        return out;
    }

    void section(String heading) {
        out.println();
        out.println(Style.heading("----- " + heading + " -----"));
        out.flush();
    }

    void answer(ChatResponse r) {
        out.println(Style.answer(r.text()));
        out.println();
    }

    void metadata(ChatResponse r) {
        out.println("Response metadata:");
        out.println(Json.pretty(ResponseMetadata.basic(r)));
        out.flush();
    }

    /** How the request travelled down the tiers. */
    void trail(ChatResponse r) {
        out.println("How it was answered:");
        for (Attempt a : r.attempts()) {
            out.println("    tier " + a.tier() + "  " + pad(a.target(), 16) + " " + outcome(a));
        }
        if (r.ruleBased()) {
            out.println("    then     " + pad("rule-based reply", 16) + " " + Style.ok("answered")
                    + Style.dim(" (model_used " + r.modelUsed() + ", fallback_level " + r.fallbackLevel() + ")"));
        }
    }

    static String outcome(Attempt a) {
        return switch (a.outcome()) {
            case SUCCEEDED -> Style.ok("answered") + String.format(" in %.0f ms", a.latencyMs());
            case FORCED_FAILURE -> Style.warn("forced to fail") + Style.dim(" (fault injection, not called)");
            case SKIPPED_BREAKER_OPEN -> Style.error("skipped: breaker open") + Style.dim(" (not called)");
            case FAILED -> Style.error("failed" + (a.status() > 0 ? " (HTTP " + a.status() + ")" : ""))
                    + Style.dim(String.format(" in %.0f ms", a.latencyMs())
                    + (a.retryDelayMs() > 0 ? ", after a " + a.retryDelayMs() + " ms backoff" : ""));
            default -> a.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String describe(TierConfig t) {
        StringBuilder caps = new StringBuilder();
        if (t.maxTokens() != null) {
            caps.append("max_tokens ").append(t.maxTokens());
        }
        if (t.temperature() != null) {
            caps.append(caps.length() > 0 ? ", " : "").append("temperature ").append(t.temperature());
        }
        return t.target() + (caps.length() > 0 ? " (" + caps + ")" : "");
    }
}
