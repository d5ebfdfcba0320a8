package io.userhub.shared.jwks;

import io.userhub.shared.token.PublicKeys;
import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.SigningKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import io.userhub.shared.outbound.OutboundUrls;

import java.net.URI;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's public keys published as a JWK Set at a URL (RFC 7517), for customers whose backend
 * rotates RS256/ES256 keys on its own. The set is fetched with short timeouts and a size cap,
 * kept for its {@code max-age} (5 minutes without one, a day at most), and fetched again for a
 * kid it does not hold at most once a minute, so a flood of made-up kids costs one request a
 * minute. Only RSA (2048 bits or more) and P-256 keys with a kid are taken; a kid stays an exact
 * key, as in the app's own ring.
 */
public final class Jwks {
    public static final int MAX_BYTES = 64 * 1024;
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    static final Duration LONGEST_MAX_AGE = Duration.ofDays(1);
    static final Duration REFETCH_FOR_UNKNOWN_KID = Duration.ofMinutes(1);
    /** One deadline for the whole fetch: connect, headers and body, however slowly they arrive. */
    static final Duration FETCH_DEADLINE = Duration.ofSeconds(2);
    /** The fetches themselves, on daemon threads, so that a caller can stop waiting at its deadline. */
    private static final java.util.concurrent.ExecutorService FETCHERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "userhub-jwks-fetch");
        thread.setDaemon(true);
        return thread;
    });
    /** Closes the connection of a fetch past its deadline, off the caller's thread. */
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "userhub-jwks-deadline");
                thread.setDaemon(true);
                return thread;
            });
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d{1,9})");

    /**
     * @param refetchedForUnknownKidAt when a token's unknown kid last made the set be fetched again, else null
     * @param lastFetchFailed          the set could not be had last time (unreachable, too slow, not 200, too large)
     */
    private record Fetched(List<SigningKey> keys, Instant fetchedAt, Instant freshUntil, Instant refetchedForUnknownKidAt,
                           boolean lastFetchFailed) {}

    /** What fetching a URL answered: its body and {@code Cache-Control}, or nothing (a fault). */
    public interface Fetcher {
        Optional<Response> get(String url);
    }

    public record Response(String body, String cacheControl) {}

    private final Fetcher fetcher;
    private final ConcurrentHashMap<String, Fetched> sets = new ConcurrentHashMap<>();

    /** A deployed function's sets: HTTPS to public addresses only. */
    public Jwks() {
        this(false);
    }

    /** @param localUse the local server's and tests' sets may also be served on the loopback interface (plain HTTP there) */
    public Jwks(boolean localUse) {
        this(url -> fetch(url, FETCH_DEADLINE, localUse));
    }

    public Jwks(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** The set's keys: the cached ones while fresh, else fetched again (a failed fetch keeps the last keys). */
    public List<SigningKey> keys(String url, Instant now) {
        Fetched cached = sets.get(url);
        if (cached != null && cached.freshUntil().isAfter(now)) {
            return cached.keys();
        }
        return refresh(url, now, cached).keys();
    }

    /**
     * A token named a kid the set does not hold: fetch again, unless an unknown kid already did
     * so under a minute ago. @return whether the set was fetched
     */
    public boolean refreshForUnknownKid(String url, Instant now) {
        Fetched cached = sets.get(url);
        if (cached != null && cached.refetchedForUnknownKidAt() != null
                && cached.refetchedForUnknownKidAt().plus(REFETCH_FOR_UNKNOWN_KID).isAfter(now)) {
            return false;
        }
        if (cached != null && cached.lastFetchFailed() && cached.fetchedAt().plus(REFETCH_FOR_UNKNOWN_KID).isAfter(now)) {
            // It failed within the minute (the app's load just tried): a second deadline would only double the wait.
            return false;
        }
        Fetched fetched = refresh(url, now, cached);
        sets.put(url, new Fetched(fetched.keys(), fetched.fetchedAt(), fetched.freshUntil(), now, fetched.lastFetchFailed()));
        return true;
    }

    /** Whether the set could not be fetched last time: a kid it lacks may be one it would have had. */
    public boolean unreachable(String url) {
        Fetched cached = sets.get(url);
        return cached != null && cached.lastFetchFailed();
    }

    private Fetched refresh(String url, Instant now, Fetched previous) {
        Optional<Response> response = fetcher.get(url);
        Instant lastUnknownKid = previous == null ? null : previous.refetchedForUnknownKidAt();
        Fetched fetched = response.map(r -> new Fetched(parse(r.body()), now, now.plus(maxAge(r.cacheControl())), lastUnknownKid, false))
                // Unreachable or broken: the keys known last keep working; the next fetch waits a minute.
                .orElseGet(() -> new Fetched(previous == null ? List.of() : previous.keys(), now, now.plus(REFETCH_FOR_UNKNOWN_KID),
                        lastUnknownKid, true));
        sets.put(url, fetched);
        return fetched;
    }

    static Duration maxAge(String cacheControl) {
        if (cacheControl != null) {
            Matcher matcher = MAX_AGE.matcher(cacheControl.toLowerCase(Locale.ROOT));
            if (matcher.find()) {
                Duration declared = Duration.ofSeconds(Long.parseLong(matcher.group(1)));
                return declared.compareTo(LONGEST_MAX_AGE) > 0 ? LONGEST_MAX_AGE : declared;
            }
        }
        return DEFAULT_MAX_AGE;
    }

    /** The usable keys of a JWK Set; anything else in it (other types, weak keys, no kid, encryption keys) is skipped. */
    public static List<SigningKey> parse(String json) {
        JsonNode keys = Json.parseObject(json).map(o -> o.get("keys")).orElse(null);
        List<SigningKey> found = new ArrayList<>();
        if (keys == null || !keys.isArray()) {
            return found;
        }
        Set<String> kids = new HashSet<>();
        for (JsonNode jwk : keys) {
            String kid = jwk.path("kid").asText("");
            if (kid.isEmpty() || kid.length() > 128 || !kids.add(kid)
                    || (jwk.has("use") && !"sig".equals(jwk.path("use").asText()))) {
                continue;
            }
            try {
                String kty = jwk.path("kty").asText();
                String alg = kty.equals("RSA") ? "RS256" : kty.equals("EC") ? "ES256" : null;
                if (alg == null || (jwk.has("alg") && !alg.equals(jwk.path("alg").asText()))) {
                    continue;
                }
                PublicKey key = alg.equals("RS256") ? rsa(jwk) : p256(jwk);
                String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----";
                PublicKeys.parse(pem, alg.equals("RS256") ? "RSA" : "EC");
                found.add(new SigningKey(kid, alg, pem, SigningKey.Status.ACTIVE, 0));
            } catch (GeneralSecurityException | RuntimeException unusable) {
                // A weak or malformed key verifies nothing; the set's other keys still do. RuntimeException:
                // the JDK's EC key factory throws a bare one for a coordinate wider than the field (found by
                // TokenFuzzTest), and one bad key must never fail the app's load (a 500 on every login).
            }
        }
        return found;
    }

    private static PublicKey rsa(JsonNode jwk) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
    }

    private static PublicKey p256(JsonNode jwk) throws GeneralSecurityException {
        if (!"P-256".equals(jwk.path("crv").asText())) {
            throw new IllegalArgumentException("ES256 takes P-256 keys only");
        }
        if (unsigned(jwk, "x").bitLength() > 256 || unsigned(jwk, "y").bitLength() > 256) {
            throw new IllegalArgumentException("P-256 coordinates are at most 32 bytes");
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")), spec));
    }

    private static BigInteger unsigned(JsonNode jwk, String member) {
        String value = jwk.path(member).asText("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("missing " + member);
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(value));
    }

    /**
     * HTTPS only, except on the loopback interface (a developer's or a test's own server), and
     * never an address literal of a private, link-local (the cloud metadata address among them)
     * or otherwise non-public network ({@link io.userhub.shared.outbound.OutboundUrls#isPublic}).
     * A name is checked when it is fetched ({@link #reachesOnlyPublicOrLoopback}). Where it is
     * fetched outside local use, the loopback interface is refused too ({@link #acceptableUrl(String, boolean)}).
     */
    public static boolean acceptableUrl(String url) {
        return acceptableUrl(url, true);
    }

    public static boolean acceptableUrl(String url, boolean localUse) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost();
            if (host == null || uri.getUserInfo() != null) {
                return false;
            }
            boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
            boolean scheme = "https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback);
            String bare = OutboundUrls.bareHost(uri);
            boolean literal = bare.matches("[0-9.]+") || bare.contains(":");
            return scheme && (localUse || !loopback) && (!literal || OutboundUrls.reachable(java.net.InetAddress.getByName(bare), localUse));
        } catch (IllegalArgumentException | java.net.UnknownHostException malformed) {
            return false;
        }
    }

    /**
     * Every address the URL's host resolves to now is public (or, for local use, loopback): a name
     * that points inside, or was rebound there, is not fetched.
     */
    static boolean reachesOnlyPublicOrLoopback(String url, boolean localUse) {
        try {
            return OutboundUrls.resolvesOnlyToReachable(OutboundUrls.bareHost(URI.create(url)), localUse, OutboundUrls.SYSTEM);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }


    /**
     * One deadline for the whole exchange. The connect and read timeouts bound each step only (a
     * server that sends a byte a second passes every one of them, and name resolution has none),
     * so the fetch runs on a worker thread that the caller waits for at most the deadline; past it
     * the caller goes on without the set, and the worker's connection is closed (and its thread
     * interrupted) so that it ends soon after. The deadline is also cut to what the request's
     * budget has left.
     */
    static Optional<Response> fetch(String url, Duration deadline, boolean localUse) {
        if (!acceptableUrl(url, localUse)) {
            return Optional.empty();
        }
        Duration budget = io.userhub.shared.config.RequestDeadline.timeLeftForCalls().filter(left -> left.compareTo(deadline) < 0)
                .orElse(deadline);
        if (budget.isNegative() || budget.isZero()) {
            return Optional.empty();
        }
        long endsAt = System.nanoTime() + budget.toNanos();
        int stepMillis = (int) Math.max(1, budget.toMillis());
        java.util.concurrent.atomic.AtomicReference<HttpURLConnection> open = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.Future<Optional<Response>> fetching = FETCHERS.submit(() -> exchange(url, localUse, stepMillis, endsAt, open));
        try {
            return fetching.get(budget.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException tooSlow) {
            fetching.cancel(true);
            HttpURLConnection connection = open.get();
            if (connection != null) {
                DEADLINES.execute(connection::disconnect);
            }
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | InterruptedException failed) {
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }

    private static Optional<Response> exchange(String url, boolean localUse, int stepMillis, long endsAt,
                                               java.util.concurrent.atomic.AtomicReference<HttpURLConnection> open) {
        // Resolved here, on the worker, under the deadline (a lookup has no timeout of its own); the
        // connection right after uses the JVM's cached answer, the one just checked.
        if (!reachesOnlyPublicOrLoopback(url, localUse)) {
            return Optional.empty();
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            open.set(connection);
            connection.setConnectTimeout(stepMillis);
            connection.setReadTimeout(stepMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept", "application/jwk-set+json, application/json");
            try {
                if (connection.getResponseCode() != 200 || connection.getContentLengthLong() > MAX_BYTES) {
                    return Optional.empty();
                }
                try (InputStream in = connection.getInputStream()) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    byte[] buffer = new byte[8192];
                    for (int read; (read = in.read(buffer)) > 0; ) {
                        body.write(buffer, 0, read);
                        if (body.size() > MAX_BYTES || System.nanoTime() > endsAt || Thread.currentThread().isInterrupted()) {
                            return Optional.empty();
                        }
                    }
                    return Optional.of(new Response(body.toString(java.nio.charset.StandardCharsets.UTF_8), connection.getHeaderField("Cache-Control")));
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException | IllegalArgumentException unreachable) {
            return Optional.empty();
        }
    }
}
