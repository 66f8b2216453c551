package dev.levee.spi;

/**
 * A key just created or rotated, with its secret: shown to the caller once, never stored or logged.
 * {@code toString()} leaves the secret out.
 */
public record IssuedKey(VirtualKey key, String secret) {
    @Override
    public String toString() {
        return "IssuedKey[" + key.id() + ", secret=***]";
    }
}
