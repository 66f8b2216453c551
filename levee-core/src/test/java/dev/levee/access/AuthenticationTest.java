package dev.levee.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.TestSupport;
import dev.levee.simulator.Simulator;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.Principal;
import dev.levee.spi.RequestContext;
import dev.levee.spi.UsageRow;
import dev.levee.spi.VirtualKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication through the facade: with a master key set, a request needs the master key or a
 * usable virtual key, a key may use only its routes, the credential never travels past the link, and
 * each request leaves one usage row naming the key by id.
 */
class AuthenticationTest {
    private static final String MASTER = "master-key-for-tests-0123456789";
    private static Simulator sim;
    private final Map<String, VirtualKey> store = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final List<UsageRow> rows = new CopyOnWriteArrayList<>();
    private final List<LeveeEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<ChatRequest> seenDownstream = new AtomicReference<>();
    private final AtomicReference<Principal> seenPrincipal = new AtomicReference<>();
    private Levee levee;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void close() {
        if (levee != null) {
            levee.close();
        }
    }

    private Levee levee(String auth) {
        levee = Levee.builder().logRequests(false).config(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                  other:
                    tiers:
                      - target: sim/other
                %s
                """.formatted(auth)))
                .keyStore(hash -> {
                    lookups.incrementAndGet();
                    return store.get(hash);
                })
                .usageSink(rows::add)
                .listener(events::add)
                .interceptor(chain -> {
                    seenDownstream.set(chain.request());
                    seenPrincipal.set(chain.context().get(RequestContext.PRINCIPAL));
                    return chain.proceed(chain.request());
                })
                .build();
        return levee;
    }

    private Levee withAuth() {
        return levee("auth: { master_key: " + MASTER + " }");
    }

    private String issue(Set<String> routes, Instant revokedAt, Instant expiresAt) {
        String secret = ApiKeys.generate();
        VirtualKey key = new VirtualKey("key_" + store.size(), ApiKeys.visiblePrefix(secret), "n", "team-a", "ann",
                routes, Instant.now(), expiresAt, revokedAt, KeyLimits.NONE);
        store.put(ApiKeys.hash(secret), key);
        return secret;
    }

    private static ChatRequest request(String route, String credential) {
        return ChatRequest.builder().route(route).user("hello")
                .options(CallOptions.builder().credential(credential).build()).build();
    }

    @Test
    void withoutAMasterKeyEveryRequestIsServedAsBefore() {
        ChatResponse r = levee("").complete(request(null, null));
        assertThat(r.text()).isNotEmpty();
        assertThat(lookups).hasValue(0);
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.keyId()).isNull());
    }

    @Test
    void aMissingKeyIsRefusedAsUnauthenticated() {
        withAuth();
        assertThatThrownBy(() -> levee.complete(request(null, null))).isInstanceOf(LeveeException.class)
                .satisfies(e -> assertThat(((LeveeException) e).kind()).isEqualTo(LeveeException.Kind.UNAUTHENTICATED));
        assertThat(events).filteredOn(e -> e instanceof LeveeEvent.AccessDenied).singleElement()
                .satisfies(e -> assertThat(((LeveeEvent.AccessDenied) e).reason()).isEqualTo("missing"));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo("unauthenticated");
            assertThat(row.errorCode()).isEqualTo("invalid_api_key");
        });
    }

    @Test
    void theMasterKeyIsAccepted() {
        withAuth().complete(request(null, MASTER));
        assertThat(seenPrincipal.get()).isEqualTo(Principal.MASTER);
    }

    @Test
    void aVirtualKeyIsAcceptedAndItsIdRecordedButTheCredentialGoesNoFurther() {
        String key = issue(Set.of(), null, null);
        withAuth().complete(request(null, key));
        assertThat(seenPrincipal.get().keyId()).isEqualTo("key_0");
        assertThat(seenDownstream.get().options().credential()).isNull();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.keyId()).isEqualTo("key_0");
            assertThat(row.team()).isEqualTo("team-a");
            assertThat(row.status()).isEqualTo("ok");
            assertThat(row.toString()).doesNotContain(key);
        });
    }

    @Test
    void unknownMalformedRevokedAndExpiredKeysAreRefused() {
        String revoked = issue(Set.of(), Instant.now().minusSeconds(5), null);
        String expired = issue(Set.of(), null, Instant.now().minusSeconds(5));
        withAuth();
        for (String bad : List.of(ApiKeys.generate(), "lv-short", "sk-garbage", revoked, expired)) {
            assertThatThrownBy(() -> levee.complete(request(null, bad)))
                    .satisfies(e -> assertThat(((LeveeException) e).kind())
                            .isEqualTo(LeveeException.Kind.UNAUTHENTICATED))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad));
        }
        assertThat(events).filteredOn(e -> e instanceof LeveeEvent.AccessDenied)
                .extracting(e -> ((LeveeEvent.AccessDenied) e).reason())
                .containsExactly("unknown", "malformed", "malformed", "revoked", "expired");
    }

    @Test
    void aKeyMayUseOnlyItsRoutesJudgedAfterTheRouteIsResolved() {
        String key = issue(Set.of("default"), null, null);
        withAuth();
        assertThat(levee.complete(request("default", key)).text()).isNotEmpty();
        assertThatThrownBy(() -> levee.complete(request("other", key)))
                .satisfies(e -> assertThat(((LeveeException) e).kind()).isEqualTo(LeveeException.Kind.FORBIDDEN))
                .hasMessageContaining("'other'");
    }

    @Test
    void knownKeysAreAnsweredFromMemoryAndALocalRevokeAppliesAtOnce() {
        String key = issue(Set.of(), null, null);
        withAuth();
        for (int i = 0; i < 5; i++) {
            levee.complete(request(null, key));
        }
        assertThat(lookups.get()).isLessThanOrEqualTo(2);
        VirtualKey k = store.get(ApiKeys.hash(key));
        store.put(ApiKeys.hash(key), new VirtualKey(k.id(), k.prefix(), k.name(), k.team(), k.user(), k.routes(),
                k.createdAt(), null, Instant.now(), k.limits()));
        levee.keysChanged();
        assertThatThrownBy(() -> levee.complete(request(null, key))).hasMessageContaining("revoked");
    }

    @Test
    void aRevokeElsewhereIsSeenWithinTheCacheTtl() throws Exception {
        String key = issue(Set.of(), null, null);
        levee("auth: { master_key: " + MASTER + ", key_cache_ttl: 200ms }").complete(request(null, key));
        VirtualKey k = store.get(ApiKeys.hash(key));
        store.put(ApiKeys.hash(key), new VirtualKey(k.id(), k.prefix(), k.name(), k.team(), k.user(), k.routes(),
                k.createdAt(), null, Instant.now(), k.limits()));
        Thread.sleep(250);
        assertThatThrownBy(() -> levee.complete(request(null, key))).hasMessageContaining("revoked");
    }

    @Test
    void aKeyStoreOutageKeepsKnownKeysWorking() throws Exception {
        String key = issue(Set.of(), null, null);
        AtomicInteger failing = new AtomicInteger();
        levee = Levee.builder().logRequests(false).config(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                auth: { master_key: %s, key_cache_ttl: 100ms }
                """.formatted(MASTER))).keyStore(hash -> {
                    if (failing.get() > 0) {
                        throw new IllegalStateException("database down");
                    }
                    return store.get(hash);
                }).usageSink(rows::add).build();
        levee.complete(request(null, key));
        failing.set(1);
        Thread.sleep(150);
        assertThat(levee.complete(request(null, key)).text()).isNotEmpty();
        assertThatThrownBy(() -> levee.complete(request(null, ApiKeys.generate()))).satisfies(e -> {
            assertThat(((LeveeException) e).kind()).isEqualTo(LeveeException.Kind.UNAVAILABLE);
            assertThat(((LeveeException) e).code()).as("the store is down, not the route's tiers")
                    .isEqualTo("key_store_unavailable");
        });
        assertThat(rows).last().satisfies(row -> {
            assertThat(row.status()).isEqualTo("unavailable");
            assertThat(row.errorCode()).isEqualTo("key_store_unavailable");
        });
    }

    @Test
    void theCredentialNeverShowsInToString() {
        CallOptions o = CallOptions.builder().credential("lv-secret-value").build();
        assertThat(o.toString()).doesNotContain("lv-secret-value");
        assertThat(request(null, "lv-secret-value").toString()).doesNotContain("lv-secret-value");
    }
}
