package dev.levee.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String MINIMAL = """
            providers:
              local: { type: ollama, base_url: "http://127.0.0.1:11434" }
            routes:
              default:
                tiers:
                  - target: local/gemma3:4b
            """;

    private static LeveeConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "levee.yaml", name -> null);
    }

    @Test
    void theEmbeddedDefaultHasTheSeedsThreeTiersOnTheSimulator() {
        LeveeConfig config = ConfigLoader.loadDefault();
        RouteConfig route = config.route(null);
        assertThat(route.tiers()).extracting(TierConfig::target)
                .containsExactly("sim/gemma3:4b", "sim/gemma3:1b", "sim/gemma:2b");
        assertThat(route.tiers().get(1).maxTokens()).isEqualTo(50);
        assertThat(route.tiers().get(1).temperature()).isEqualTo(0.3);
        assertThat(route.tiers().get(2).maxTokens()).isEqualTo(30);
        assertThat(route.tiers().get(2).supportsPrefill()).isTrue();
        assertThat(config.providers().get("sim").type()).isEqualTo(ProviderType.SIMULATOR);
    }

    @Test
    void theDesignDocumentsExampleParses() {
        LeveeConfig config = ConfigLoader.parse("""
                server:
                  port: 4000
                providers:
                  local:
                    type: ollama
                    base_url: ${OLLAMA_API_URL:-http://localhost:11434}
                  openai:
                    type: openai
                    base_url: https://api.openai.com/v1
                    api_key: ${OPENAI_API_KEY}
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                      - target: local/gemma3:1b
                        max_tokens: 50
                        temperature: 0.3
                      - target: local/gemma:2b
                        max_tokens: 30
                        temperature: 0.1
                        supports_prefill: true
                    content_filter: error
                resilience:
                  circuit_breaker: { consecutive_failures: 5, failure_rate: 0.5, window: 20, open_for: 30s, half_open_probes: 2 }
                  retry: { max_attempts: 3, base_delay: 200ms, max_delay: 5s }
                  timeout: { base: 10s, per_token: 100ms, max: 300s, first_token: 15s }
                """, "levee.yaml", Map.of("OPENAI_API_KEY", "sk-x")::get);
        assertThat(config.providers().get("local").baseUrl().toString()).isEqualTo("http://localhost:11434");
        assertThat(config.providers().get("openai").apiKey().reveal()).isEqualTo("sk-x");
        assertThat(config.resilience().breaker().openFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.resilience().retry().baseDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.resilience().timeout().firstToken()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void variablesComeFromTheEnvironmentWithDefaults() {
        LeveeConfig config = ConfigLoader.parse("""
                providers:
                  local: { type: ollama, base_url: "${HOST_URL:-http://127.0.0.1:9}" }
                  remote: { type: openai, base_url: "${REMOTE}/v1", api_key: "${KEY:-}" }
                routes:
                  default: { tiers: [ { target: local/m } ] }
                """, "x.yaml", Map.of("REMOTE", "https://llm.example.org")::get);
        assertThat(config.providers().get("local").baseUrl().toString()).isEqualTo("http://127.0.0.1:9");
        assertThat(config.providers().get("remote").baseUrl().toString()).isEqualTo("https://llm.example.org/v1");
        assertThat(config.providers().get("remote").apiKey()).isNull();
    }

    @Test
    void aDotEnvFileBesideTheConfigSuppliesVariables(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".env"), "LEVEE_TEST_ONLY_KEY=sk-from-dotenv\n# a comment\n");
        Path file = dir.resolve("levee.yaml");
        Files.writeString(file, """
                providers:
                  openai: { type: openai, api_key: "${LEVEE_TEST_ONLY_KEY}" }
                routes:
                  default: { tiers: [ { target: openai/gpt-4o-mini } ] }
                """);
        assertThat(ConfigLoader.load(file).providers().get("openai").apiKey().reveal()).isEqualTo("sk-from-dotenv");
    }

    @Test
    void anUnsetVariableIsAnErrorAtItsKey() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("\"http://127.0.0.1:11434\"", "\"${NOPE_NOT_SET}\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("levee.yaml: providers.local.base_url: environment variable NOPE_NOT_SET is not set "
                        + "(write ${NOPE_NOT_SET:-} to allow it to be empty)");
    }

    @Test
    void errorsNameTheFileTheKeyAndTheProblem() {
        assertError(MINIMAL + "resilience:\n  retry: { base_delay: fast }\n",
                "levee.yaml: resilience.retry.base_delay: expected a duration such as 200ms, 30s, 5m or 1h, found 'fast'");
        assertError(MINIMAL + "resilience:\n  circuit_breaker: { consecutive_failure: 3 }\n",
                "levee.yaml: resilience.circuit_breaker.consecutive_failure: unknown key");
        assertError(MINIMAL.replace("local/gemma3:4b", "cloud/gpt"),
                "levee.yaml: routes.default.tiers[0].target: unknown provider 'cloud' (known: local)");
        assertError(MINIMAL.replace("type: ollama", "type: llamafile"),
                "levee.yaml: providers.local.type: expected one of ollama | openai | anthropic | simulator, found 'llamafile'");
        assertError(MINIMAL.replace("\"http://127.0.0.1:11434\"", "\"ftp://x\""),
                "levee.yaml: providers.local.base_url: expected an http(s) URL with a host, found 'ftp://x'");
        assertError(MINIMAL + "resilience:\n  circuit_breaker: { failure_rate: 1.5 }\n",
                "levee.yaml: resilience.circuit_breaker: failure_rate must be in (0, 1]");
        assertError(MINIMAL + "resilience:\n  retry: { max_attempts: three }\n",
                "levee.yaml: resilience.retry.max_attempts: expected a whole number, found 'three'");
        assertError(MINIMAL.replace("- target: local/gemma3:4b", "- target: local/gemma3:4b\n        temperature: 7"),
                "levee.yaml: routes.default.tiers[0].temperature: must be in [0, 2]");
        assertError("providers: {}\nroutes: {}\n", "levee.yaml: providers: at least one provider is required");
        assertError(MINIMAL + "default_route: missing\n", "levee.yaml: default_route: no route named 'missing'");
    }

    @Test
    void socketBuffersArePinnedOnlyWhenAskedAndTooSmallOnesAreRefused() {
        LeveeConfig defaults = parse(MINIMAL);
        assertThat(defaults.server().sendBufferBytes()).isZero();
        assertThat(defaults.providers().get("local").receiveBufferBytes()).isZero();
        LeveeConfig pinned = parse(MINIMAL.replace("base_url: \"http://127.0.0.1:11434\"",
                "base_url: \"http://127.0.0.1:11434\", receive_buffer_bytes: 65536") + "server: { send_buffer_bytes: 131072 }\n");
        assertThat(pinned.server().sendBufferBytes()).isEqualTo(131072);
        assertThat(pinned.providers().get("local").receiveBufferBytes()).isEqualTo(65536);
        assertError(MINIMAL + "server: { send_buffer_bytes: 100 }\n",
                "levee.yaml: server: send_buffer_bytes must be 0 (the kernel's choice) or >= 4096");
        assertError(MINIMAL.replace("base_url: \"http://127.0.0.1:11434\"",
                        "base_url: \"http://127.0.0.1:11434\", receive_buffer_bytes: -1"),
                "levee.yaml: providers.local: receive_buffer_bytes must be 0 (the kernel's choice) or >= 4096");
    }

    @Test
    void invalidYamlReportsLineAndColumn() {
        assertThatThrownBy(() -> parse("providers:\n  local: { type: ollama\nroutes: [\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("levee.yaml: line ")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aDuplicateKeyIsAnErrorNotASilentOverride() {
        assertThatThrownBy(() -> parse(MINIMAL + "default_route: default\ndefault_route: other\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("levee.yaml: line ")
                .hasMessageContaining("Duplicate field 'default_route'");
    }

    @Test
    void aMalformedPriceNamesItsKey() {
        assertError(MINIMAL + "pricing:\n  gpt-x: { input: cheap, output: 1 }\n", "levee.yaml: pricing.gpt-x");
    }

    @Test
    void limitsAndSharedStateParseWithTheirDefaults() {
        LeveeConfig c = parse(MINIMAL + """
                limits:
                  keys: { rpm: 600, tpm: 100000 }
                  teams:
                    ml: { max_concurrent: 20, budget_usd: "50.00", budget_period: month }
                  completion_estimate: 512
                state:
                  redis: redis://127.0.0.1:6379
                  timeout: 50ms
                  on_failure: { requests: fail_closed }
                """);
        assertThat(c.limits().keys().rpm()).isEqualTo(600);
        assertThat(c.limits().team("ml").budgetUsd()).isEqualByComparingTo("50");
        assertThat(c.limits().team("web")).isEqualTo(Quota.NONE);
        assertThat(c.limits().completionEstimate()).isEqualTo(512);
        assertThat(c.state().shared()).isTrue();
        assertThat(c.state().policy("requests")).isEqualTo(StateConfig.FailurePolicy.FAIL_CLOSED);
        assertThat(c.state().policy("budget")).isEqualTo(StateConfig.FailurePolicy.FAIL_CLOSED);
        assertThat(c.state().policy("tokens")).isEqualTo(StateConfig.FailurePolicy.FAIL_OPEN);
        assertThat(parse(MINIMAL).state().shared()).isFalse();
    }

    @Test
    void badLimitsAndStateAreErrorsAtTheirKeys() {
        assertError(MINIMAL + "limits:\n  keys: { rpm: 0 }\n", "levee.yaml: limits.keys: rpm must be >= 1");
        assertError(MINIMAL + "limits:\n  teams: { ml: { budget_usd: 5 } }\n",
                "levee.yaml: limits.teams.ml: budget_period is required with budget_usd");
        assertError(MINIMAL + "limits:\n  teams: { ml: { priority: batch } }\n",
                "levee.yaml: limits.teams.ml.priority: unknown key");
        assertError(MINIMAL + "limits:\n  keys: { budget_usd: lots, budget_period: day }\n", "levee.yaml: limits.keys");
        assertError(MINIMAL + "state:\n  redis: http://127.0.0.1:6379\n",
                "levee.yaml: state: redis must be a redis:// or rediss:// URL");
        assertError(MINIMAL + "state:\n  on_failure: { budget: fail_maybe }\n",
                "levee.yaml: state.on_failure.budget: expected one of fail_open | fail_closed, found 'fail_maybe'");
        assertError(MINIMAL + "state:\n  on_failure: { spend: fail_open }\n",
                "levee.yaml: state: on_failure: unknown limit 'spend'");
        assertError(MINIMAL + "state:\n  timeout: 1m\n", "levee.yaml: state: timeout must be in (0, 5s]");
    }

    @Test
    void aMissingFileIsReportedByName(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": cannot read the config file");
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
