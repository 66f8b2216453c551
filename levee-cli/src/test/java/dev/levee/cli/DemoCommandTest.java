package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void demoTellsTheWholeStoryAndExitsZero() {
        long start = System.nanoTime();
        Cli r = Cli.run("demo", "--no-color");
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(r.exitCode()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains(Demo.HEADING_NORMAL, Demo.HEADING_FALLBACK, Demo.HEADING_RULE_BASED,
                Demo.HEADING_BREAKER, Demo.HEADING_RECOVERY, Demo.HEADING_STATS, "==== End of Demo ====");
        // normal operation, then the first fallback with the tier's caps as the simulator received them
        assertThat(out).contains("\"model_used\": \"gemma3:4b\"", "\"model_used\": \"gemma3:1b\"",
                "num_predict (max_tokens) = 50, temperature = 0.3");
        // the rule-based reply to a keyword
        assertThat(out).contains("\"model_used\": \"rule_based_fallback\"", "operating in fallback mode");
        // the breaker opens, the dead tier is skipped without a call, and it recovers through half-open
        assertThat(out).contains("Circuit breaker for sim/gemma3:4b is OPEN", "skipped (breaker open)",
                "received 0 new gemma3:4b requests", "CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED");
        // the performance statistics: recent performance, then model usage
        assertThat(out).contains("\"request_count\": ", "\"avg_latency_ms\": ", "\"max_latency_ms\": ",
                "\"min_latency_ms\": ", "\"avg_tokens\": ", "\"total_tokens\": ", "\"fallback_rate\": ",
                "\"high_anomaly_count\": ", "Model usage:");
        assertThat(out).doesNotContain("\u001b[");
        assertThat(seconds).isLessThan(20);
    }
}
