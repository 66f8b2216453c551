package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatCommandTest {
    @Test
    void printsTheAnswerThenItsMetadataAsJson() {
        Cli r = Cli.run("chat", "--no-color", "Explain", "circuit", "breakers");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String answer = r.out().substring(0, r.out().indexOf("Response metadata:"));
        assertThat(answer).isNotBlank();
        assertThat(r.out()).contains("\"model_used\": \"gemma3:4b\"", "\"fallback_used\": false",
                "\"fallback_level\": 0", "\"tokens_used\": ", "\"latency_ms\": ", "\"request_id\": ",
                "\"timestamp\": ", "\"attempts\": [");
    }

    @Test
    void streamsTheAnswerAndPrintsTheSameMetadata() {
        Cli r = Cli.run("chat", "--stream", "--max-tokens", "20", "--temperature", "0.2", "--system", "Be brief.",
                "Tell me about rivers");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"model_used\": \"gemma3:4b\"", "\"finish_reason\": \"length\"",
                "\"completion_tokens\": 20");
    }

    @Test
    void badConfigFileExitsWith2NamingTheFileAndKeyWithoutAStackTrace(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("levee.yaml");
        Files.writeString(config, """
                providers:
                  local:
                    type: ollama
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                        temperature: 9
                """);
        Cli r = Cli.run("chat", "--config", config.toString(), "hello");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("levee.yaml", "temperature", "[0, 2]");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingConfigFileExitsWith2() {
        Cli r = Cli.run("chat", "--config", "/nonexistent/levee.yaml", "hello");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("/nonexistent/levee.yaml").doesNotContain("\tat ");
    }

    @Test
    void unknownRouteExitsWith2AndNamesTheRoutes() {
        Cli r = Cli.run("chat", "--model", "nope", "hello");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no route named 'nope'", "default").doesNotContain("\tat ");
    }

    @Test
    void invalidRequestExitsWith2() {
        Cli r = Cli.run("chat", "--temperature", "7", "hello");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("temperature must be between 0 and 2");
    }
}
