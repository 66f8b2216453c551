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

    /**
     * Embeds {@code call.embedding()}'s texts, one vector per text in order
     * ({@link ProviderReply#embeddings()}). Fails with {@link ProviderException}; an API without
     * embeddings fails as a bad request (its tiers lack the capability, so levee does not call it).
     */
    default Future<ProviderReply> embed(ProviderCall call) {
        return Future.failedFuture(new ProviderException(FailureKind.BAD_REQUEST,
                "this provider's API has no embeddings"));
    }

    /**
     * The parameters of {@code call} this provider has no equivalent for and leaves out — hints only
     * (a seed, a penalty…), by their OpenAI wire names. A parameter that sets the answer's contract is
     * never left out: the tier's capabilities keep such a request away from a target that lacks it.
     */
    default java.util.List<String> notApplied(ProviderCall call) {
        return java.util.List.of();
    }

    /** Whether the provider answers at all (readiness); never fails, yields false instead. */
    Future<Boolean> ping();

    Future<Void> close();
}
