package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The team commands on a data directory, the way a new user meets them: serve with a master key,
 * create a key on the command line, call with it, see the spend in {@code levee usage}, revoke it,
 * and check the audit log — which {@code audit verify} then finds tampered with.
 */
class TeamCommandsTest {
    private static final String MASTER = "cli-master-key-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    private HttpResponse<String> chat(int port, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private ServeCommand.Running serve() {
        LeveeConfig cfg = ConfigLoader.loadDefault();
        cfg = cfg.withServer(new dev.levee.config.ServerConfig("127.0.0.1", 0, cfg.server().maxBodyBytes()))
                .withStorage(cfg.storage().withDataDir(data));
        return ServeCommand.start(ServeCommand.withMasterKeyFromEnvironment(cfg, MASTER));
    }

    @Test
    void aKeyCreatedOnTheCommandLineWorksIsReportedAndCanBeRevoked() throws Exception {
        ServeCommand.Running running = serve();
        try {
            Cli created = Cli.run("keys", "create", "--data-dir", data.toString(), "--name", "laptop", "--team", "ml",
                    "--route", "default");
            assertThat(created.exitCode()).as(created.err()).isZero();
            String key = created.out().lines().findFirst().orElseThrow();
            assertThat(key).startsWith("lv-");
            int port = running.server().port();
            await().atMost(Duration.ofSeconds(3)).until(() -> chat(port, key).statusCode() == 200);
            assertThat(chat(port, "lv-" + "z".repeat(43)).statusCode()).isEqualTo(401);

            Cli list = Cli.run("keys", "list", "--data-dir", data.toString());
            assertThat(list.out()).contains("laptop").contains(key.substring(0, 9)).doesNotContain(key);
            String id = list.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];

            await().atMost(Duration.ofSeconds(5)).until(() ->
                    Cli.run("usage", "--data-dir", data.toString(), "--group-by", "team").out().contains("ml"));
            assertThat(Cli.run("keys", "revoke", "--data-dir", data.toString(), id).exitCode()).isZero();
            await().atMost(Duration.ofSeconds(3)).until(() -> chat(port, key).statusCode() == 401); // within the ttl
            assertThat(Cli.run("keys", "revoke", "--data-dir", data.toString(), "key_nope").exitCode()).isEqualTo(2);
        } finally {
            running.stop(Duration.ofSeconds(1));
        }
        Cli verified = Cli.run("audit", "verify", "--data-dir", data.toString());
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("intact");
    }

    @Test
    void auditVerifyNamesTheFirstTamperedRow() throws Exception {
        for (String name : new String[] {"a", "b", "c"}) {
            assertThat(Cli.run("keys", "create", "--data-dir", data.toString(), "--name", name).exitCode()).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("levee.db"));
             Statement s = c.createStatement()) {
            s.execute("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2");
        }
        Cli verified = Cli.run("audit", "verify", "--data-dir", data.toString());
        assertThat(verified.exitCode()).isEqualTo(1);
        assertThat(verified.out()).contains("row 2").contains("edited");
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThat(Cli.run("keys", "create", "--data-dir", data.toString(), "--rpm", "0").err()).contains("rpm");
        assertThat(Cli.run("keys", "create", "--data-dir", data.toString(), "--route", "nowhere").err())
                .contains("no route named 'nowhere'");
        assertThat(Cli.run("usage", "--data-dir", data.toString(), "--group-by", "colour").exitCode()).isEqualTo(2);
        assertThat(Cli.run("audit", "verify", "--data-dir", data.toString(), "--head", "x").exitCode()).isEqualTo(2);
    }

    @Test
    void aNonLoopbackAddressWithoutAuthIsRefused() {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--host", "0.0.0.0", "--port", "0", "--data-dir", data.toString());
        LeveeConfig cfg = ConfigLoader.loadDefault().withServer(new dev.levee.config.ServerConfig("0.0.0.0", 0, 65536));
        assertThatThrownBy(() -> ServeCommand.refuseOpenNetworkGateway(cfg))
                .hasMessageContaining("without authentication");
        ServeCommand.refuseOpenNetworkGateway(ServeCommand.withMasterKeyFromEnvironment(cfg, MASTER)); // allowed
        ServeCommand.refuseOpenNetworkGateway(ConfigLoader.loadDefault()); // loopback: allowed, and says so
        assertThatThrownBy(() -> ServeCommand.withMasterKeyFromEnvironment(cfg, "short"))
                .hasMessageContaining("LEVEE_MASTER_KEY");
    }
}
