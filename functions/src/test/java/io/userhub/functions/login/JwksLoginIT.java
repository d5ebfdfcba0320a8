package io.userhub.functions.login;

import com.sun.net.httpserver.HttpServer;
import io.userhub.functions.support.Harness;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An app whose backend publishes its RS256 keys as a JWK Set: logins verify against it, a key
 * added to the set later is fetched on its first token, and made-up kids fetch at most once a minute.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class JwksLoginIT {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return B64.encodeToString(bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static String jwk(String kid, KeyPair pair) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"alg\":\"RS256\",\"n\":\"" + b64(key.getModulus()) + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}";
    }

    private static String sign(String kid, KeyPair pair, String payload) throws Exception {
        String input = B64.encodeToString(("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(signer.sign());
    }

    /**
     * A set that answers 200 with a Content-Length and then sends its body a byte at a time, or
     * its head a byte at a time: each read is quick, the whole is not. The login answers 503
     * SERVICE_UNAVAILABLE at the fetch's one deadline (2 s), not when the trickle ends (minutes).
     */
    @Test
    void aSetThatTricklesAnswers503AtTheFetchDeadlineAndNeverHoldsTheLogin() throws Exception {
        KeyPair pair = rsa();
        String body = "{\"keys\":[" + jwk("slow-1", pair) + "]}";
        String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        int headLength = response.indexOf("\r\n\r\n") + 4;
        for (int sentAtOnce : new int[]{headLength + 1, 5}) {
            try (io.userhub.testkit.TricklingServer server = new io.userhub.testkit.TricklingServer(response, sentAtOnce, 200)) {
                Harness h = new Harness();
                h.appStore.setJwksUrl(h.app.appId(), server.url("/jwks.json"));
                String payload = "{\"iat\":" + h.now() + ",\"identities\":[{\"identifier\":\"uid\",\"value\":\"slow-user\"}]}";

                long started = System.nanoTime();
                Harness.Response slow = h.login("phone", sign("slow-1", pair, payload));
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(slow.status()).as(slow.body().toString()).isEqualTo(503);
                assertThat(slow.reason()).isEqualTo("SERVICE_UNAVAILABLE");
                assertThat(slow.body().at("/details/problem").asText()).isEqualTo("JWKS_UNREACHABLE");
                assertThat(slow.headers()).containsKey("retry-after");
                // the trickle lasts body.length() * 200 ms (over a minute); one fetch deadline is 2 s, and the
                // unknown kid does not fetch again within the minute of a failed fetch
                assertThat(took).as("sent at once: " + sentAtOnce).isLessThan(Duration.ofSeconds(5));
                assertThat(server.connections()).isEqualTo(1);

                assertThat(h.login("tablet", sign("slow-1", pair, payload)).status()).as("still unreachable: 503 again, no new fetch")
                        .isEqualTo(503);
                assertThat(h.login("laptop", h.identitiesToken("uid", "own-key-user")).status())
                        .as("tokens of the app's own keys are not held by its set").isEqualTo(200);
                assertThat(h.storedItemsBesidesAudit().stream().filter(i -> i.get("pk").s().contains("#DEV#")).count())
                        .as("only the own-key login made a device").isEqualTo(1);
            }
        }
    }

    @Test
    void loginsVerifyAgainstTheBackendsPublishedKeys() throws Exception {
        KeyPair first = rsa();
        KeyPair second = rsa();
        AtomicReference<String> published = new AtomicReference<>("{\"keys\":[" + jwk("backend-1", first) + "]}");
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Cache-Control", "max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Harness h = new Harness();
            h.appStore.setJwksUrl(h.app.appId(), "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
            String payload = "{\"iat\":" + h.now() + ",\"identities\":[{\"identifier\":\"uid\",\"value\":\"jwks-user\"}]}";

            Harness.Response firstLogin = h.login("phone", sign("backend-1", first, payload));
            assertThat(firstLogin.status()).as(firstLogin.body().toString() + " fetches " + fetches.get()).isEqualTo(200);
            assertThat(h.login("phone", sign("backend-1", first, payload)).status()).as("cached: no new fetch").isEqualTo(200);
            assertThat(fetches).hasValue(1);

            // the backend rotates: the new kid's first token fetches the set again
            published.set("{\"keys\":[" + jwk("backend-1", first) + "," + jwk("backend-2", second) + "]}");
            assertThat(h.login("tablet", sign("backend-2", second, payload)).status()).isEqualTo(200);
            assertThat(fetches).hasValue(2);

            // a made-up kid within the minute fetches nothing and is refused like any unknown key
            Harness.Response madeUp = h.login("laptop", sign("made-up", second, payload));
            assertThat(madeUp.status()).isEqualTo(401);
            assertThat(madeUp.body().at("/details/cause").asText()).isEqualTo("UNKNOWN_KEY");
            assertThat(fetches).hasValue(2);
            // a key of the set verifies only its own kid's tokens
            assertThat(h.login("laptop", sign("backend-1", second, payload)).body().at("/details/cause").asText()).isEqualTo("SIGNATURE");

            h.clock.advance(Duration.ofSeconds(61));
            assertThat(h.login("laptop", sign("made-up", second, payload.replace(String.valueOf(h.now() - 61), String.valueOf(h.now())))).status()).isEqualTo(401);
            assertThat(fetches).as("a minute later an unknown kid may fetch again").hasValue(3);
        } finally {
            server.stop(0);
        }
    }
}
