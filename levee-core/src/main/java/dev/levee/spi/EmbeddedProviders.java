package dev.levee.spi;

import dev.levee.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;

/**
 * Runs the providers of type {@code simulator} inside this process, each answering on a loopback
 * base URL in the wire format its config names. levee's simulator is one: the command line and the
 * runnable jar bring it, found with {@link java.util.ServiceLoader}; the library does not depend on it.
 */
public interface EmbeddedProviders {
    Future<Running> start(Vertx vertx, ProviderConfig provider);

    /** One embedded provider, up and listening. */
    interface Running {
        /** Where the adapter for its wire format sends requests (with {@code /v1} for the OpenAI format). */
        URI baseUrl();

        Future<Void> close();
    }
}
