package dev.levee;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids: one from outside is kept when it is safe to log and echo, else a new one is made. */
public final class RequestIds {
    /** Ids from outside are trusted only this far. */
    public static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** {@code incoming} when it is short and printable, else a new UUID. */
    public static String accept(String incoming) {
        if (incoming != null && !incoming.isEmpty() && incoming.length() <= MAX_LENGTH
                && incoming.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            return incoming;
        }
        // A random UUID-shaped id; SecureRandom (UUID.randomUUID) would be a contended cost on every request.
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L)
                .toString();
    }
}
