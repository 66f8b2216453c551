package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Embeddings in OpenAI's and Ollama's wire formats: deterministic unit vectors, usage, faults, bad input. */
class EmbeddingsApiTest {
    private static Simulator simulator;
    private static TestClient client;

    @BeforeAll
    static void start() {
        simulator = Simulator.start(SimulatorConfig.builder().defaultLatency(Latency.NONE).build());
        client = new TestClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @AfterEach
    void clear() {
        simulator.faults().clearAll();
    }

    private static double norm(JsonNode vector) {
        double sum = 0;
        for (JsonNode x : vector) {
            sum += x.asDouble() * x.asDouble();
        }
        return Math.sqrt(sum);
    }

    @Test
    void openAiGivesOneUnitVectorPerInputWithTheModelsDimensionsAndUsage() {
        TestClient.Response r = client.post("/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"rivers\",\"valleys\"]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.path("object").asText()).isEqualTo("list");
        assertThat(json.path("model").asText()).isEqualTo("text-embedding-3-small");
        JsonNode data = json.path("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(1).path("index").asInt()).isEqualTo(1);
        assertThat(data.get(0).path("embedding")).hasSize(1536);
        assertThat(norm(data.get(0).path("embedding"))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(data.get(0).path("embedding")).isNotEqualTo(data.get(1).path("embedding"));
        assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(Cl100k.count("rivers")
                + Cl100k.count("valleys"));

        JsonNode again = client.post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"rivers\","
                + "\"dimensions\":1536}").json();
        assertThat(again.path("data").get(0).path("embedding")).as("deterministic")
                .isEqualTo(data.get(0).path("embedding"));
    }

    @Test
    void base64IsLittleEndianFloatsAndDimensionsAreHonoured() {
        JsonNode floats = client.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":8}").json();
        JsonNode packed = client.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":8,"
                + "\"encoding_format\":\"base64\"}").json();
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(packed.path("data").get(0).path("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode vector = floats.path("data").get(0).path("embedding");
        assertThat(vector).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(bytes.getFloat()).isEqualTo(vector.get(i).floatValue());
        }
    }

    @Test
    void ollamaAnswersWithItsOwnShape() {
        TestClient.Response r = client.post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.path("embeddings")).hasSize(2);
        assertThat(json.path("embeddings").get(0)).hasSize(768);
        assertThat(json.path("prompt_eval_count").asInt()).isEqualTo(2);
    }

    @Test
    void faultsAndBadInputAreAnsweredAsTheApiWould() {
        simulator.faults().set("text-embedding-3-small", "status=503");
        TestClient.Response failed = client.post("/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.json().path("error").isObject()).isTrue();
        TestClient.Response tokens = client.post("/v1/embeddings", "{\"model\":\"m\",\"input\":[[1,2,3]]}");
        assertThat(tokens.status()).isEqualTo(400);
        assertThat(tokens.json().path("error").path("param").asText()).isEqualTo("input");
        assertThat(client.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}").status())
                .isEqualTo(400);
        assertThat(client.post("/v1/embeddings", "{\"input\":\"x\"}").status()).isEqualTo(400);
    }
}
