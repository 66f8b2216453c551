package dev.levee.simulator;

/** A request body that breaks its API's rules; becomes a 400 in that API's error format. */
final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String param;

    BadRequest(String message, String param) {
        super(message, null, false, false);
        this.param = param;
    }

    SimError toError() {
        return SimError.invalid(getMessage(), param);
    }
}
