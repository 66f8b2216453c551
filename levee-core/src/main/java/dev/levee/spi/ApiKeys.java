package dev.levee.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The format of virtual keys: {@code lv-} and 32 random bytes, base64url — 256 bits, so a plain
 * SHA-256 is a safe thing to store (no salt or slow hash is needed against guessing a random secret).
 */
public final class ApiKeys {
    public static final String PREFIX = "lv-";
    /** Characters of a key shown in lists: the prefix and six of the secret's. */
    public static final int VISIBLE = PREFIX.length() + 6;
    private static final int SECRET_BYTES = 32;
    private static final int KEY_LENGTH = PREFIX.length() + 43;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Every request's key is hashed: looking SHA-256 up among the security providers cost more than
     * the hash itself, so each thread keeps one ({@code digest} resets it).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private ApiKeys() {
    }

    public static String generate() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Whether {@code key} has the shape of a virtual key; says nothing of whether one exists. */
    public static boolean wellFormed(String key) {
        if (key.length() != KEY_LENGTH || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The lowercase hex SHA-256 of the key: what a key store holds and is searched by. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(digest(key));
    }

    /** The SHA-256 of the key; {@link #hash} is its hex form. */
    public static byte[] digest(String key) {
        return SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    public static boolean sameSecret(String a, String b) {
        return MessageDigest.isEqual(digest(a), digest(b));
    }

    public static String visiblePrefix(String key) {
        return key.substring(0, Math.min(VISIBLE, key.length()));
    }
}
