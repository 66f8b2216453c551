package dev.levee.internal.resilience;

import dev.levee.spi.ProviderException;

/** Why a target gave no answer: its breaker refused, the caller cancelled, or it failed (retries spent). */
public final class TargetFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Why { BREAKER_OPEN, CANCELLED, FAILED }

    private final Why why;
    private final transient ProviderException error;

    private TargetFailure(Why why, ProviderException error) {
        super(why + (error == null ? "" : ": " + error.getMessage()), null, false, false);
        this.why = why;
        this.error = error;
    }

    static TargetFailure breakerOpen() {
        return new TargetFailure(Why.BREAKER_OPEN, null);
    }

    static TargetFailure cancelled() {
        return new TargetFailure(Why.CANCELLED, null);
    }

    static TargetFailure failed(ProviderException error) {
        return new TargetFailure(Why.FAILED, error);
    }

    public Why why() {
        return why;
    }

    /** The last attempt's failure, for {@link Why#FAILED}; else {@code null}. */
    public ProviderException error() {
        return error;
    }
}
