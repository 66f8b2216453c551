package dev.levee.internal.access;

import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.LeveeException;
import dev.levee.Ticker;
import dev.levee.config.AuthConfig;
import dev.levee.config.Secret;
import dev.levee.internal.chain.Events;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.Interceptor;
import dev.levee.spi.KeyStore;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.Principal;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import dev.levee.spi.VirtualKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The authentication link: the caller's credential ({@link CallOptions#credential()}) must be the
 * master key or a usable virtual key. It puts the {@link Principal} on the request and passes the
 * request on without the credential, so nothing after it can leak it. Every refusal is an
 * {@link LeveeEvent.AccessDenied} event (the audit log listens) naming the key by id, if any.
 *
 * <p>The master key is compared by digest, in constant time; a virtual key is looked up by its
 * SHA-256 in the {@link KeyCache}, never by a prefix, so how long a refusal takes says nothing about
 * how close a guess was.
 */
public final class Authentication implements Interceptor {
    static final String MISSING = "missing";
    /** The master key's digest, computed once: a credential is hashed once and compared with it. */
    private final byte[] masterDigest;
    private final KeyCache keys;
    private final Events events;

    /** @param store the virtual keys, or {@code null} for the master key alone */
    public Authentication(AuthConfig config, KeyStore store, Executor lookups, Ticker ticker, Events events) {
        this.masterDigest = ApiKeys.digest(config.masterKey().reveal());
        this.keys = store == null ? null
                : new KeyCache(store, lookups, ticker, config.keyCacheTtl(), config.keyCacheStale(), 100_000);
        this.events = events;
    }

    /** Forgets cached keys: called after this instance revoked or rotated one, so it takes effect at once. */
    public void keysChanged() {
        if (keys != null) {
            keys.invalidateAll();
        }
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        RequestContext ctx = chain.context();
        ChatRequest request = chain.request();
        Secret credential = request.options().credential();
        ChatRequest onward = request.withOptions(request.options().withoutCredential());
        if (credential == null) {
            return refuse(ctx, MISSING, null, "missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key'");
        }
        String key = credential.reveal();
        byte[] digest = ApiKeys.digest(key);
        if (MessageDigest.isEqual(digest, masterDigest)) { // time independent of where they differ
            ctx.put(RequestContext.PRINCIPAL, Principal.MASTER);
            return chain.proceed(onward);
        }
        if (keys == null || !ApiKeys.wellFormed(key)) {
            return refuse(ctx, keys == null ? "unknown" : "malformed", null, "invalid API key");
        }
        CompletableFuture<Optional<VirtualKey>> found = keys.find(HexFormat.of().formatHex(digest));
        if (found.isDone() && !found.isCompletedExceptionally()) {
            return decide(chain, onward, found.join()); // the usual case: a fresh answer in memory
        }
        Context context = Vertx.currentContext();
        Promise<Reply> reply = Promise.promise();
        found.whenComplete((k, error) -> context.runOnContext(v -> {
            if (error != null) {
                reply.fail(new LeveeException(LeveeException.Kind.UNAVAILABLE, "key_store_unavailable",
                        "the API key cannot be checked right now: the key store is unavailable", ctx.requestId(),
                        null));
            } else {
                decide(chain, onward, k).onComplete(reply);
            }
        }));
        return reply.future();
    }

    private Future<Reply> decide(Chain chain, ChatRequest onward, Optional<VirtualKey> found) {
        RequestContext ctx = chain.context();
        if (found.isEmpty()) {
            return refuse(ctx, "unknown", null, "invalid API key");
        }
        VirtualKey key = found.get();
        if (key.revoked()) {
            return refuse(ctx, "revoked", key.id(), "this API key has been revoked");
        }
        if (key.expiredAt(ctx.clock().instant())) {
            return refuse(ctx, "expired", key.id(), "this API key has expired");
        }
        ctx.put(RequestContext.PRINCIPAL, key.principal());
        return chain.proceed(onward);
    }

    private Future<Reply> refuse(RequestContext ctx, String reason, String keyId, String message) {
        events.emit(new LeveeEvent.AccessDenied(ctx.requestId(), ctx.clock().instant(), reason, keyId, null));
        return Future.failedFuture(new LeveeException(LeveeException.Kind.UNAUTHENTICATED, message, ctx.requestId()));
    }
}
