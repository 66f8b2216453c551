package dev.levee.spi;

import java.time.Duration;
import java.util.List;

/**
 * The administration of virtual keys, behind the admin API and the command line. Every change is
 * recorded in the audit log under {@code actor}. Methods may block (a database): call them off the
 * event loop.
 */
public interface KeyAdmin extends KeyStore {
    /** A new key; its secret is in the answer and nowhere else, ever. */
    IssuedKey create(KeySpec spec, String actor);

    /** Every key, newest first, revoked ones included. */
    List<VirtualKey> list();

    /** The key with this id, or {@code null}. */
    VirtualKey get(String id);

    /** Revokes the key (at once, for good); {@code null} when there is no such key. */
    VirtualKey revoke(String id, String actor);

    /**
     * A new secret for the key; the old one keeps working for {@code grace}, then stops. {@code null}
     * when there is no such key; refused for a revoked key.
     */
    IssuedKey rotate(String id, Duration grace, String actor);
}
