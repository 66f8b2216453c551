package dev.levee.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A body that is not well-formed UTF-8 is a 400 on both chat APIs, overlong forms and surrogates
 * included (Jackson alone reads an overlong '/' as '/'); well-formed multi-byte text passes.
 */
class Utf8BodyTest {
    private static GatewayFixture gw;

    @BeforeAll
    static void start() {
        gw = new GatewayFixture("""
                routes:
                  default:
                    tiers:
                      - target: sim/gemma3:4b
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static byte[] body(String path, byte[] inContent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = path.endsWith("messages") ? "{\"model\":\"default\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi " : "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi ";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(inContent);
        out.writeBytes("\"}]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return gw.http.send(HttpRequest.newBuilder(gw.uri(path)).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/chat/completions", "/v1/messages"})
    void malformedUtf8IsRefusedAndWellFormedTextPasses(String path) throws Exception {
        byte[][] malformed = {
            {(byte) 0xff},                          // never in UTF-8
            {(byte) 0xc0, (byte) 0xaf},             // overlong '/'
            {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, // overlong '/', three bytes
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
            {(byte) 0xe2, (byte) 0x82},             // cut short
        };
        for (byte[] bad : malformed) {
            HttpResponse<String> r = post(path, body(path, bad));
            assertThat(r.statusCode()).as(path + " with " + java.util.HexFormat.of().formatHex(bad)).isEqualTo(400);
            assertThat(r.body()).contains("not valid UTF-8");
        }
        HttpResponse<String> fine = post(path, body(path, "héllo € 😀".getBytes(StandardCharsets.UTF_8)));
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
    }
}
