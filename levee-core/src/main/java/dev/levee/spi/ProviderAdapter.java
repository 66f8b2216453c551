package dev.levee.spi;

import io.vertx.core.Future;

/**
 * Speaks one provider's wire format over HTTP. Implementations map every failure to a
 * {@link ProviderException} whose {@link FailureKind} says whether to retry and whether the
 * breaker counts it.
 */
public interface ProviderAdapter {
    /** A non-streaming completion. Fails with {@link ProviderException}. */
    Future<ProviderReply> complete(ProviderCall call);

    /**
     * Opens a stream. The future completes when the upstream answered 200, with a paused stream;
     * it fails with {@link ProviderException} for an error status or a connection failure.
     */
    Future<ProviderStream> stream(ProviderCall call);

    /** Whether the provider answers at all (readiness); never fails, yields false instead. */
    Future<Boolean> ping();

    Future<Void> close();
}
