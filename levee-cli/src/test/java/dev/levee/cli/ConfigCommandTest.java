package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code levee config check}: the shipped example passes; a broken file gets its key and problem. */
class ConfigCommandTest {
    @Test
    void theShippedExamplePasses() {
        // The repository root is the module's parent; surefire sets basedir to the module (and runs in target/).
        Path example = Path.of(System.getProperty("basedir", "."), "..", "levee.example.yaml").toAbsolutePath().normalize();

        Cli r = Cli.run("config", "check", example.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(": ok").contains("route default: local/qwen3:8b -> local/gemma3:1b");
    }

    @Test
    void aBrokenFileNamesTheFileTheKeyAndTheProblem(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("levee.yaml");
        Files.writeString(broken, """
                providers:
                  local: { type: ollama }
                routes:
                  default:
                    tiers:
                      - target: local/m
                resilience:
                  retry: { base_delay: fast }
                """);

        Cli r = Cli.run("config", "check", broken.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(broken.toString()).contains("resilience.retry.base_delay").contains("fast");
    }
}
