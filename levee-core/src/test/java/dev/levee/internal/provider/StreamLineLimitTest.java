package dev.levee.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.ChatChunk;
import dev.levee.Message;
import dev.levee.config.ProviderConfig;
import dev.levee.config.ProviderType;
import dev.levee.config.Secret;
import dev.levee.internal.provider.openai.OpenAiAdapter;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import dev.levee.spi.ProviderStream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An upstream stream may not make levee buffer a line without bound: past 1 MiB it fails as malformed. */
class StreamLineLimitTest {
    private static final String CONTENT = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aLineOverOneMebibyteFailsTheStreamAsMalformedAfterWhatCameBefore() throws Exception {
        String piece = "x".repeat(64 * 1024);
        HttpServer upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            var response = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            response.write(CONTENT);
            response.write("data: {\"pad\":\"");
            for (int i = 0; i < 20; i++) { // 1.25 MiB of one line, never terminated
                response.write(piece);
            }
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        ProviderConfig config = new ProviderConfig("up", ProviderType.OPENAI, null,
                Secret.ofNullable("sk-test-000000000000"), Map.of(), 4, Duration.ofSeconds(2), 0, null);
        OpenAiAdapter adapter = new OpenAiAdapter(vertx, config,
                URI.create("http://127.0.0.1:" + upstream.actualPort() + "/v1"));
        ProviderCall call = new ProviderCall("gpt-4o-mini", List.of(Message.user("hi")), 100, 0.5, null, List.of(),
                Duration.ofSeconds(10), Duration.ofSeconds(5), "req-1", Map.of(), null);

        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        Promise<Throwable> failed = Promise.promise();
        ProviderStream stream = adapter.stream(call).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        stream.handler(chunks::add).endHandler(v -> failed.tryComplete(null)).exceptionHandler(failed::tryComplete);
        stream.resume();
        Throwable error = failed.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(chunks).extracting(ChatChunk::text).containsExactly("Hello");
        assertThat(error).isInstanceOf(ProviderException.class).hasMessageContaining("stream line over 1048576 bytes");
        assertThat(((ProviderException) error).kind()).isEqualTo(FailureKind.MALFORMED);
    }
}
