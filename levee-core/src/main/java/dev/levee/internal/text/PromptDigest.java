package dev.levee.internal.text;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The prompt fingerprint logs and telemetry carry instead of the prompt: an HMAC-SHA256 under a
 * secret of the installation, cut to 12 hex digits. Equal prompts correlate; a plain hash would let
 * anyone recover short prompts ("hello") by hashing a dictionary, a keyed one does not.
 */
public final class PromptDigest {
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    /** Looking the algorithm up costs more than hashing a prompt; a Mac resets after each use. */
    private final ThreadLocal<PerThread> perThread;

    /** A thread's Mac, and the last prompt it hashed: a request's start and its telemetry ask for the same one. */
    private static final class PerThread {
        final Mac mac;
        String lastText;
        String lastDigest;

        PerThread(Mac mac) {
            this.mac = mac;
        }
    }

    public PromptDigest(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the prompt hash key needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.perThread = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return new PerThread(m);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
            }
        });
    }

    /** A digest under a key of its own, for a process that was given none. */
    public static PromptDigest random() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new PromptDigest(secret);
    }

    public String of(String text) {
        PerThread t = perThread.get();
        if (text != t.lastText) { // the same string object: the same request's prompt, already hashed
            t.lastDigest = HEX.formatHex(t.mac.doFinal(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
            t.lastText = text;
        }
        return t.lastDigest;
    }
}
