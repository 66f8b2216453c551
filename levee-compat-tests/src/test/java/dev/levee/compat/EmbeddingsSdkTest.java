package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} with the official OpenAI Java SDK: vectors from the first tier, a
 * fallback when it fails, float and base64 encodings alike, and clear 400s for what levee cannot do.
 */
class EmbeddingsSdkTest {
    private static Gateway gateway;
    private static OpenAIClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        gateway = new Gateway("""
                server: { host: 127.0.0.1, port: 0 }
                providers:
                  local: { type: ollama, base_url: "${SIM}" }
                  remote: { type: openai, base_url: "${SIM}/v1", api_key: sk-test-0000000000 }
                  claude: { type: anthropic, base_url: "${SIM}", api_key: sk-ant-test-0000000000000000 }
                routes:
                  default:
                    tiers:
                      - target: local/gemma3:4b
                  embed:
                    tiers:
                      - target: local/nomic-embed-text
                      - target: remote/nomic-embed-text:v1.5
                  chat-only:
                    tiers:
                      - target: claude/claude-haiku
                resilience:
                  retry: { max_attempts: 1 }
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                """);
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("levee-client-key").maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @AfterEach
    void clear() {
        gateway.sim.faults().clearAll();
    }

    private static EmbeddingCreateParams.Builder params(String route) {
        return EmbeddingCreateParams.builder().model(route);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/embeddings"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSdkGetsOneVectorPerInputInEitherEncoding() {
        CreateEmbeddingResponse r = client.embeddings().create(params("embed")
                .inputOfArrayOfStrings(List.of("rivers", "valleys")).build());
        assertThat(r.data()).hasSize(2);
        assertThat(r.data().get(1).index()).isEqualTo(1);
        assertThat(r.data().get(0).embedding()).hasSize(768);
        assertThat(r.model()).isEqualTo("nomic-embed-text");
        assertThat(r.usage().promptTokens()).isPositive();
        CreateEmbeddingResponse asFloats = client.embeddings().create(params("embed").input("rivers")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        CreateEmbeddingResponse asBase64 = client.embeddings().create(params("embed").input("rivers")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        assertThat(asBase64.data().get(0).embedding()).isEqualTo(asFloats.data().get(0).embedding())
                .isEqualTo(r.data().get(0).embedding());
        CreateEmbeddingResponse shorter = client.embeddings().create(params("embed").input("rivers").dimensions(32)
                .build());
        assertThat(shorter.data().get(0).embedding()).hasSize(32);
    }

    @Test
    void aFailingPrimaryFallsBackToTheNextTier() throws Exception {
        gateway.sim.faults().set("nomic-embed-text", "status=503");
        CreateEmbeddingResponse r = client.embeddings().create(params("embed").input("rivers").build());
        assertThat(r.model()).isEqualTo("nomic-embed-text:v1.5");
        assertThat(r.data().get(0).embedding()).hasSize(768);
        HttpResponse<String> raw = post("{\"model\":\"embed\",\"input\":\"rivers\"}");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("x-levee-fallback-level")).hasValue("1");
        assertThat(raw.headers().firstValue("x-levee-model-used")).hasValue("nomic-embed-text:v1.5");
    }

    @Test
    void whatLeveeCannotDoIsA400NamingTheField() throws Exception {
        assertThatThrownBy(() -> client.embeddings().create(params("chat-only").input("x").build()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((BadRequestException) e).param()).hasValue("input"))
                .hasMessageContaining("claude/claude-haiku has no embeddings");
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> unknown = post("{\"model\":\"embed\",\"input\":\"x\",\"truncate\":true}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(unknown.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("truncate");
        HttpResponse<String> tokens = post("{\"model\":\"embed\",\"input\":[[1,2,3]]}");
        assertThat(tokens.statusCode()).isEqualTo(400);
        assertThat(tokens.body()).contains("token arrays are not supported");
        assertThat(post("{\"model\":\"embed\",\"input\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(post("{\"model\":\"embed\",\"input\":\"x\",\"dimensions\":0}").statusCode()).isEqualTo(400);
        assertThat(post("{\"model\":\"embed\"}").statusCode()).isEqualTo(400);
    }
}
