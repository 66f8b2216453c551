package dev.levee.config;

/** A configuration that cannot be used; the message names the file, the key and the problem. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
