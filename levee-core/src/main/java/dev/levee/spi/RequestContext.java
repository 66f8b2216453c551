package dev.levee.spi;

import dev.levee.Attempt;
import dev.levee.ChatRequest;
import dev.levee.config.RouteConfig;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request as it moves along the chain. Carried explicitly rather than in a thread-local, because
 * its callbacks run on an event loop where thread-locals leak from one request into the next. It is
 * confined to the request's Vert.x context: read and write it from the links' callbacks only.
 *
 * <p>Links hand typed values to each other through {@linkplain Key attributes}: an authentication
 * link puts the caller's identity, a later limit link reads it, and both see it again on the way
 * back. The route and the deadline are attributes too, put by their own links.
 */
public interface RequestContext {
    /** The resolved route; present once the route link has run. */
    Key<RouteConfig> ROUTE = Key.of("route", RouteConfig.class);
    /** The request's deadline; present once the deadline link has run. */
    Key<Deadline> DEADLINE = Key.of("deadline", Deadline.class);
    /** Who is calling; present once the authentication link has run (only when authentication is on). */
    Key<Principal> PRINCIPAL = Key.of("principal", Principal.class);
    /** What the answer cost, in nano-dollars (USD x 10^-9); present on the way back from a priced answer. */
    Key<Long> COST_NANOS = Key.of("cost_nanos", Long.class);

    String requestId();

    /** The request as the caller sent it; links pass changed copies down with {@link Interceptor.Chain#proceed}. */
    ChatRequest request();

    boolean stream();

    Clock clock();

    Instant startedAt();

    double elapsedMillis();

    /** Time to first token in ms, or {@code null} before one (or for a non-streaming request). */
    Double ttftMillis();

    /** The upstream attempts so far, in order, including skipped tiers. */
    List<Attempt> attempts();

    /** An attribute, or {@code null} when no link has put it. */
    <T> T get(Key<T> key);

    <T> void put(Key<T> key, T value);

    /** The resolved route, or {@code null} before the route link. */
    default RouteConfig route() {
        return get(ROUTE);
    }

    /** The deadline, or {@code null} before the deadline link. */
    default Deadline deadline() {
        return get(DEADLINE);
    }

    boolean cancelled();

    /** Completes when the caller gives up; work in flight listens to it and stops. */
    Future<Void> cancellation();

    /** A typed name for an attribute. Keys compare by identity: keep each in a constant. */
    final class Key<T> {
        private final String name;
        private final Class<T> type;

        private Key(String name, Class<T> type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        public static <T> Key<T> of(String name, Class<T> type) {
            return new Key<>(name, type);
        }

        public String name() {
            return name;
        }

        public T cast(Object value) {
            return type.cast(value);
        }

        @Override
        public String toString() {
            return "Key(" + name + ")";
        }
    }
}
