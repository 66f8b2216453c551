package dev.levee.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.levee.ChatRequest;
import dev.levee.Levee;
import dev.levee.TestSupport;
import dev.levee.config.ConfigException;
import dev.levee.simulator.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The telemetry file goes to the data directory unless its path is absolute; one it cannot write stops the start. */
class TelemetryFileTest {
    private static Simulator sim;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void aRelativePathIsUnderTheDataDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (Levee levee = Levee.builder().logRequests(false).config(TestSupport.ollamaConfig(sim, """
                routes: { default: { tiers: [ { target: sim/primary } ] } }
                storage: { data_dir: "%s" }
                monitoring: { telemetry: { path: telemetry/requests.jsonl } }
                """.formatted(data))).build()) {
            levee.complete(ChatRequest.of("hello"));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(data.resolve("telemetry/requests.jsonl"))
                    && Files.size(data.resolve("telemetry/requests.jsonl")) > 0);
        }
        assertThat(Path.of("telemetry/requests.jsonl")).as("nothing in the working directory").doesNotExist();
    }

    @Test
    void aPathThatCannotBeWrittenIsReportedAtStart(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> Levee.builder().logRequests(false).config(TestSupport.ollamaConfig(sim, """
                routes: { default: { tiers: [ { target: sim/primary } ] } }
                monitoring: { telemetry: { path: "%s" } }
                """.formatted(notADirectory.resolve("telemetry.jsonl")))).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("monitoring.telemetry.path")
                .hasMessageContaining(notADirectory.resolve("telemetry.jsonl").toString());
    }
}
