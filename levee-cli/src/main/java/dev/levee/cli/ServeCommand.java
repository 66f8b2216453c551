package dev.levee.cli;

import dev.levee.Levee;
import dev.levee.cli.logging.LeveeLogging;
import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import dev.levee.config.Secret;
import dev.levee.config.ServerConfig;
import dev.levee.http.GatewayServer;
import dev.levee.otel.TracingListener;
import dev.levee.store.Store;
import dev.levee.store.StoreException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code levee serve}: the OpenAI-compatible gateway, until SIGTERM or Ctrl-C. */
@Command(name = "serve",
        header = "Run the OpenAI-compatible gateway.",
        description = "Serves POST /v1/chat/completions (JSON and SSE), GET /v1/models, /health, /health/ready,"
                + " /metrics, /levee/stats, /levee/breakers and the admin API (/levee/admin/keys, /levee/admin/usage)"
                + " over the same engine as the library. LEVEE_MASTER_KEY (or auth.master_key) turns"
                + " authentication on; without it only a loopback address is served. Without"
                + " --config it serves the embedded default: three simulator tiers, no network or keys."
                + " SIGTERM lets requests in flight finish (up to --grace) and refuses new ones.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("levee.gateway");

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A levee.yaml (default: the embedded config).")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on, 0 for any free one (default: server.port of the config, 4000).")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "Interface to bind (default: server.host of the config, 127.0.0.1).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where keys, the usage ledger and the audit log live (SQLite) unless storage.url names"
                    + " PostgreSQL; the ledger's spool always (default: storage.data_dir of the config, ./levee-data).")
    Path dataDir;

    @Option(names = "--warm-up", paramLabel = "MS", defaultValue = "2000",
            description = "Before listening, run the request path on itself this long (in-process simulators,"
                    + " nothing kept), so the first callers do not wait for the JIT; 0 to skip (default: ${DEFAULT-VALUE}).")
    int warmUpMillis;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long requests in flight may take to finish on shutdown (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (warmUpMillis < 0) {
            throw new ErrorReporter.UsageProblem("--warm-up must be >= 0");
        }
        LeveeConfig configured = configuration(); // a config problem is reported before any warm-up
        int warmUpRequests = warmUpMillis > 0 ? Warmup.run(Duration.ofMillis(warmUpMillis)) : 0;
        LeveeLogging.fileUnder(configured.storage().dataDir()); // after the warm-up: none of it in the file
        Running running = start(configured);
        CountDownLatch stopped = new CountDownLatch(1);
        PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.stop(Duration.ofSeconds(graceSeconds));
            out.println("levee gateway stopped");
            out.flush();
            stopped.countDown();
        }, "levee-gateway-shutdown"));
        LeveeConfig cfg = running.levee().config();
        out.println(Style.title("levee gateway listening on http://" + cfg.server().host() + ":" + running.server().port()
                + String.format(" (ready in %d ms%s)", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                warmUpRequests == 0 ? "" : String.format(", warmed up on %,d requests", warmUpRequests))));
        out.println("  routes: " + String.join(", ", cfg.routes().keySet()) + "   (default: " + cfg.defaultRoute() + ")");
        out.println("  storage: " + running.store().description());
        out.println(cfg.auth().enabled() ? "  auth: on — requests need the master key or a virtual key (levee keys create)"
                : Style.warn("  auth: OFF — anyone who can reach this address can use it and spend its provider keys;"
                        + " set LEVEE_MASTER_KEY to require keys"));
        out.println(Style.dim("  OpenAI clients: base URL http://" + cfg.server().host() + ":" + running.server().port()
                + "/v1   Ctrl-C to stop"));
        out.flush();
        stopped.await();
        return 0;
    }

    /** The gateway and its engine, started; the caller stops them. */
    record Running(Levee levee, GatewayServer server, TracingListener tracing, Store store) {
        void stop(Duration grace) {
            try {
                server.shutdown(grace).toCompletionStage().toCompletableFuture().get(grace.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("gateway did not shut down cleanly: {}", e.toString());
            }
            levee.close();
            store.close(); // after levee: the last requests' ledger rows are written (or spooled)
            if (tracing != null) {
                tracing.close(); // after levee: the last spans are exported
            }
        }
    }

    Running start() {
        LeveeConfig cfg = configuration();
        LeveeLogging.fileUnder(cfg.storage().dataDir());
        return start(cfg);
    }

    /** The configuration to serve: the file or the embedded default, with the command line's overrides. */
    private LeveeConfig configuration() {
        LeveeConfig cfg = config == null ? ConfigLoader.loadDefault() : ConfigLoader.load(config);
        ServerConfig server = cfg.server();
        if (port != null || host != null) {
            if (port != null && (port < 0 || port > 65535)) {
                throw new ErrorReporter.UsageProblem("--port must be in [0, 65535]");
            }
            cfg = cfg.withServer(server.withAddress(host != null ? host : server.host(),
                    port != null ? port : server.port()));
        }
        if (dataDir != null) {
            cfg = cfg.withStorage(cfg.storage().withDataDir(dataDir));
        }
        return withMasterKeyFromEnvironment(cfg, System.getenv("LEVEE_MASTER_KEY"));
    }

    /** {@code LEVEE_MASTER_KEY} turns authentication on unless the config already names a master key. */
    static LeveeConfig withMasterKeyFromEnvironment(LeveeConfig cfg, String fromEnvironment) {
        if (cfg.auth().enabled() || fromEnvironment == null || fromEnvironment.isBlank()) {
            return cfg;
        }
        try {
            return cfg.withAuth(cfg.auth().withMasterKey(Secret.ofNullable(fromEnvironment.trim())));
        } catch (IllegalArgumentException e) {
            throw new ErrorReporter.UsageProblem("LEVEE_MASTER_KEY: " + e.getMessage());
        }
    }

    /**
     * Without authentication, levee is an open proxy to its providers for anyone who can reach it: on
     * loopback that is the machine's own users (fine for a laptop), on any other address it is the
     * network. So a non-loopback address needs a master key.
     */
    static void refuseOpenNetworkGateway(LeveeConfig cfg) {
        if (cfg.auth().enabled() || loopback(cfg.server().host())) {
            return;
        }
        throw new ErrorReporter.UsageProblem("refusing to serve on " + cfg.server().host() + " without authentication:"
                + " anyone who can reach it could spend the providers' keys. Set LEVEE_MASTER_KEY (or"
                + " auth.master_key), or bind 127.0.0.1");
    }

    static boolean loopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Starts the engine and the gateway for this configuration, listening where its server section says. */
    static Running start(LeveeConfig cfg) {
        refuseOpenNetworkGateway(cfg);
        Store store;
        try {
            store = Store.open(cfg.storage());
        } catch (StoreException e) {
            throw new ErrorReporter.UsageProblem(e.getMessage());
        }
        TracingListener tracing = TracingListener.create(cfg); // null unless monitoring.tracing.otlp_endpoint is set
        Levee.Builder builder = Levee.builder().config(cfg).meterRegistry(GatewayServer.prometheusRegistry())
                .keyStore(store.keys()).usageSink(store.ledger()).listener(store.auditListener())
                .promptHashKey(PromptHashKey.in(cfg.storage().dataDir()));
        if (tracing != null) {
            builder.listener(tracing);
        }
        Levee levee;
        try {
            levee = builder.build();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        try {
            GatewayServer gateway = GatewayServer.start(levee, cfg.server(),
                    new GatewayServer.Administration(store.keys(), store.reports()))
                    .toCompletionStage().toCompletableFuture().join();
            store.startMaintenance();
            return new Running(levee, gateway, tracing, store);
        } catch (RuntimeException e) {
            levee.close();
            store.close();
            if (tracing != null) {
                tracing.close();
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ErrorReporter.UsageProblem("cannot listen on " + cfg.server().host() + ":" + cfg.server().port()
                    + ": " + cause.getMessage());
        }
    }
}
