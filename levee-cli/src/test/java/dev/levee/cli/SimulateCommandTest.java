package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.simulator.Simulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {
    private static final String CHAT = """
            {"model": "%s", "stream": false, "messages": [{"role": "user", "content": "hi"}]}""";

    @Test
    void servesWithTheFaultsGivenOnTheCommandLine() throws Exception {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs("--port", "0", "--fault", "gemma3:4b=status=503", "--ttft", "0",
                "--token-ms", "0");
        try (Simulator simulator = command.start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThat(post(http, simulator, "gemma3:4b").statusCode()).isEqualTo(503);
            HttpResponse<String> healthy = post(http, simulator, "gemma3:1b");
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.body()).contains("\"done\":true");
        }
    }

    @Test
    void badFaultSpecExitsWith2NamingTheItem() {
        Cli r = Cli.run("simulate", "--port", "0", "--fault", "gemma3:4b=status=999");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("gemma3:4b=status=999", "status=999", "between 400 and 599")
                .doesNotContain("\tat ");
    }

    @Test
    void faultWithoutAModelExitsWith2() {
        Cli r = Cli.run("simulate", "--fault", "status=503");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("MODEL=SPEC");
    }

    private static HttpResponse<String> post(HttpClient http, Simulator simulator, String model) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/api/chat"))
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(model))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
