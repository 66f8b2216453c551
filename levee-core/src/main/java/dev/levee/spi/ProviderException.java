package dev.levee.spi;

import java.time.Duration;

/**
 * The failure of one upstream attempt. Its message is safe to log: adapters never put credentials,
 * request bodies or prompt text in it.
 */
public final class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final int status;
    private final transient Duration retryAfter;

    public ProviderException(FailureKind kind, int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public ProviderException(FailureKind kind, String message) {
        this(kind, 0, message, null);
    }

    /**
     * {@code error} as the failure of an attempt: itself when it is one, else (an adapter broke its
     * contract) a malformed answer naming only the exception's type.
     */
    public static ProviderException of(Throwable error) {
        if (error instanceof ProviderException pe) {
            return pe;
        }
        return new ProviderException(FailureKind.MALFORMED, "unexpected " + error.getClass().getSimpleName());
    }

    public FailureKind kind() {
        return kind;
    }

    /** The HTTP status, 0 when there was none. */
    public int status() {
        return status;
    }

    /** The provider's Retry-After, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public String toString() {
        return kind + (status > 0 ? " " + status : "") + ": " + getMessage();
    }
}
