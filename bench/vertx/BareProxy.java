import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The "vertx" contender of bench/run.sh: a bare Vert.x pass-through on the same Vert.x and Netty as
 * levee (compiled against levee.jar), with none of levee's features. It forwards every POST to one
 * upstream path and streams the answer back; GET /health answers 200. Like levee: one server per
 * core on a shared port, a pooled keep-alive client per event loop, TCP_NODELAY, HTTP/1.1.
 * The gap between it and nginx is the framework's; the gap between levee and it is levee's own.
 *
 *   java -cp levee.jar:DIR BareProxy PORT UPSTREAM_PORT UPSTREAM_PATH
 */
public final class BareProxy extends VerticleBase {
    private static int port;
    private static int upstreamPort;
    private static String upstreamPath;

    private HttpClient client;

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost("127.0.0.1").setDefaultPort(upstreamPort), new PoolOptions().setHttp1MaxSize(128));
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                .setHttp2ClearTextEnabled(false)).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest req) {
        if (req.method() == HttpMethod.GET && "/health".equals(req.path())) {
            req.response().end("ok");
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(upstreamPath);
        copy(req.headers(), options.getHeaders() == null ? options.setHeaders(MultiMap.caseInsensitiveMultiMap()).getHeaders()
                : options.getHeaders(), HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, HttpHeaders.AUTHORIZATION);
        req.body()
                .compose(body -> client.request(options).compose(up -> up.send(body)))
                .compose(answer -> {
                    var response = req.response().setStatusCode(answer.statusCode());
                    copy(answer.headers(), response.headers(), HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH);
                    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                        response.setChunked(true);
                    }
                    return answer.pipeTo(response);
                })
                .onFailure(e -> {
                    if (!req.response().headWritten()) {
                        req.response().setStatusCode(502).end();
                    } else {
                        req.response().reset();
                    }
                });
    }

    private static void copy(MultiMap from, MultiMap to, CharSequence... names) {
        for (CharSequence name : names) {
            String value = from.get(name);
            if (value != null) {
                to.set(name, value);
            }
        }
    }

    public static void main(String[] args) {
        port = Integer.parseInt(args[0]);
        upstreamPort = Integer.parseInt(args[1]);
        upstreamPath = args[2];
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(BareProxy::new, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
