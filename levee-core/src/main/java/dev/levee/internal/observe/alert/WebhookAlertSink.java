package dev.levee.internal.observe.alert;

import dev.levee.config.AlertSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert as Slack-compatible JSON (a {@code text} plus structured fields) to a webhook.
 * Asynchronous on Vert.x: {@link #send} returns at once, failures and non-2xx answers are logged,
 * never thrown. Calls beyond a small number in flight are dropped (and logged) rather than queued,
 * so an unreachable receiver cannot build a backlog. Logs name the receiver by host only: webhook
 * URLs often carry their secret in the path.
 */
public final class WebhookAlertSink implements AlertSink {
    private static final Logger log = LoggerFactory.getLogger("levee.alert");
    private static final int MAX_IN_FLIGHT = 16;

    private final HttpClient client;
    private final String url;
    private final String receiver;
    private final long timeoutMs;
    private final AtomicInteger inFlight = new AtomicInteger();

    public WebhookAlertSink(Vertx vertx, String url, Duration timeout) {
        Objects.requireNonNull(vertx, "vertx");
        AlertSettings checked = AlertSettings.builder().webhookUrl(Objects.requireNonNull(url, "url"))
                .timeout(timeout).build();
        URI uri = URI.create(checked.webhookUrl());
        this.url = checked.webhookUrl();
        this.receiver = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        this.timeoutMs = Math.max(1, timeout.toMillis());
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(4)
                .setMaxWaitQueueSize(MAX_IN_FLIGHT));
    }

    public WebhookAlertSink(Vertx vertx, AlertSettings settings) {
        this(vertx, Objects.requireNonNull(settings.webhookUrl(), "settings.webhookUrl"), settings.timeout());
    }

    @Override
    public void send(Alert alert) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            log.warn("Alert webhook {} is not keeping up: dropped {} alert for {}", receiver, alert.kind().wireName(),
                    alert.key());
            return;
        }
        Buffer body = AlertPayload.of(alert).toBuffer();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs)
                .putHeader("content-type", "application/json");
        client.request(request)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(ignored -> resp.statusCode()))
                .onComplete(ar -> {
                    inFlight.decrementAndGet();
                    if (ar.failed()) {
                        log.warn("Alert webhook {} failed for {} alert on {}: {}", receiver, alert.kind().wireName(),
                                alert.key(), ar.cause().toString());
                    } else if (ar.result() / 100 != 2) {
                        log.warn("Alert webhook {} answered {} for {} alert on {}", receiver, ar.result(),
                                alert.kind().wireName(), alert.key());
                    } else {
                        log.debug("Alert webhook {} accepted {} alert on {}", receiver, alert.kind().wireName(),
                                alert.key());
                    }
                });
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }
}
