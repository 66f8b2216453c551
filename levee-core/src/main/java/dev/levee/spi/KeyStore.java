package dev.levee.spi;

/**
 * Where the authentication link looks virtual keys up, by the SHA-256 of the secret
 * ({@link ApiKeys#hash}). levee calls it on a worker thread of its own, never on an event loop, and
 * caches the answer (found or not) for {@code auth.key_cache_ttl}; so an implementation may block on
 * a database.
 */
@FunctionalInterface
public interface KeyStore {
    /**
     * The key whose secret hashes to {@code keyHash} — revoked and expired ones included, so the
     * caller can say why it is refused — or {@code null} when there is none. After a rotation the
     * previous secret's hash finds the key too, until its grace period ends.
     */
    VirtualKey findByHash(String keyHash);
}
