package dev.levee.cli;

import dev.levee.Attempt;
import dev.levee.CallOptions;
import dev.levee.ChatResponse;
import dev.levee.config.ResilienceConfig;
import dev.levee.spi.LeveeEvent.CircuitStateChanged;
import dev.levee.BreakerSnapshot;
import dev.levee.simulator.FaultSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sections 4 and 5 of the demo: a real upstream failure (the simulator answers 503) opens the
 * primary's breaker, the open breaker skips the dead tier at once, and after {@code open_for} the
 * breaker recovers through half-open.
 */
final class BreakerDemo {
    /** Enough for any sane breaker config to open; the demo says so if it did not. */
    private static final int MAX_REQUESTS = 12;
    private static final String PROMPT = "Summarise the benefits of tiered fallback";

    private final Demo demo;
    private final PrintWriter out;
    private final String model;
    private final String target;
    private final ResilienceConfig.Breaker settings;

    BreakerDemo(Demo demo) {
        this.demo = demo;
        this.out = demo.out();
        this.model = demo.primary().model();
        this.target = demo.primary().target();
        this.settings = demo.levee().config().resilience().breaker();
    }

    void run() throws InterruptedException {
        opening();
        recovery();
    }

    private void opening() {
        demo.section(Demo.HEADING_BREAKER);
        demo.simulator().faults().set(model, FaultSpec.parse("status=503"));
        out.println("The simulator now answers every " + model + " request with HTTP 503 (a real upstream failure).");
        out.println(Style.dim("The breaker of " + target + " opens after " + settings.consecutiveFailures()
                + " consecutive failures; every retry attempt counts ("
                + demo.levee().config().resilience().retry().maxAttempts() + " attempts per request)."));
        int sent = 0;
        while (!"OPEN".equals(state()) && sent++ < MAX_REQUESTS) {
            ChatResponse r = demo.send(PROMPT, CallOptions.DEFAULTS, null, null);
            long failed = attemptsAtPrimary(r, Attempt.Outcome.FAILED);
            out.println("  request " + demo.requestNumber() + ": " + model + " failed " + failed + "x -> answered by "
                    + r.modelUsed() + String.format(" in %.0f ms", r.latencyMs()) + "; breaker " + stateLine());
        }
        if (!"OPEN".equals(state())) {
            out.println(Style.error("  the breaker did not open after " + MAX_REQUESTS + " requests"));
            return;
        }
        out.println(Style.error("Circuit breaker for " + target + " is OPEN."));
        breakers();
        out.println();
        out.println("Requests now skip the dead tier without calling it:");
        for (int i = 0; i < 2; i++) {
            int before = demo.simulator().journal().count(model);
            ChatResponse r = demo.send(PROMPT, CallOptions.DEFAULTS, null, null);
            int after = demo.simulator().journal().count(model);
            boolean skipped = attemptsAtPrimary(r, Attempt.Outcome.SKIPPED_BREAKER_OPEN) > 0;
            out.println("  request " + demo.requestNumber() + ": " + model + " "
                    + (skipped ? Style.warn("skipped (breaker open)") : "called")
                    + "; the simulator received " + (after - before) + " new " + model + " requests (total " + after
                    + "); answered by " + r.modelUsed() + String.format(" in %.0f ms", r.latencyMs()));
        }
    }

    private void recovery() throws InterruptedException {
        demo.section(Demo.HEADING_RECOVERY);
        demo.simulator().faults().clear(model);
        out.println("The fault is cleared: " + model + " is healthy again, but its breaker stays OPEN for open_for ("
                + settings.openFor().toMillis() / 1000.0 + " s), then lets " + settings.halfOpenProbes()
                + " probe requests through (HALF_OPEN).");
        Instant opened = demo.watch().lastOpened(target).map(CircuitStateChanged::at).orElse(Instant.now());
        Duration wait = settings.openFor().minus(Duration.between(opened, Instant.now())).plusMillis(100);
        if (!wait.isNegative()) {
            out.printf("Waiting %.1f s for open_for to pass ...%n", wait.toMillis() / 1000.0);
            out.flush();
            Thread.sleep(wait.toMillis());
        }
        int sent = 0;
        do {
            ChatResponse r = demo.send(PROMPT, CallOptions.DEFAULTS, null, null);
            out.println("  request " + demo.requestNumber() + ": answered by " + r.modelUsed()
                    + String.format(" in %.0f ms", r.latencyMs()) + "; breaker " + stateLine());
        } while (!"CLOSED".equals(state()) && ++sent < MAX_REQUESTS);
        out.println("Transitions of " + target + ":");
        List<CircuitStateChanged> path = demo.watch().of(target);
        Instant t0 = path.isEmpty() ? Instant.now() : path.get(0).at();
        for (CircuitStateChanged t : path) {
            out.printf("    +%5.2f s  %s -> %s%n", Duration.between(t0, t.at()).toMillis() / 1000.0,
                    Style.state(t.from()), Style.state(t.to()));
        }
        breakers();
    }

    private long attemptsAtPrimary(ChatResponse r, Attempt.Outcome outcome) {
        return r.attempts().stream().filter(a -> a.tier() == 0 && a.outcome() == outcome).count();
    }

    private BreakerSnapshot snapshot() {
        return demo.levee().breakers().stream().filter(b -> b.target().equals(target)).findFirst()
                .orElse(new BreakerSnapshot(target, "CLOSED", 0, 0, 0, 0, 0));
    }

    private String state() {
        return snapshot().state();
    }

    private String stateLine() {
        BreakerSnapshot b = snapshot();
        return Style.state(b.state()) + Style.dim(" (" + b.consecutiveFailures() + " consecutive failures, "
                + b.successfulCalls() + " ok / " + b.failedCalls() + " failed in the window)");
    }

    private void breakers() {
        out.println("Breakers (Levee.breakers()):");
        out.println(Style.dim("    target            state      consecutive  failed  ok  not_permitted"));
        for (BreakerSnapshot b : demo.levee().breakers()) {
            out.println("    " + Demo.pad(b.target(), 17) + " " + Style.state(b.state())
                    + " ".repeat(Math.max(1, 11 - b.state().length()))
                    + String.format("%11d  %6d  %2d  %13d", b.consecutiveFailures(), b.failedCalls(),
                    b.successfulCalls(), b.notPermittedCalls()));
        }
        out.flush();
    }
}
