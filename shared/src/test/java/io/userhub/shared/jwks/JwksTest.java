package io.userhub.shared.jwks;

import io.userhub.shared.model.SigningKey;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class JwksTest {
    static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0 && bytes.length > 1) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String rsaJwk(String kid, RSAPublicKey key) {
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" + b64(key.getModulus())
                + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}";
    }

    @Test
    void rsaAndP256KeysWithAKidAreTakenAndEverythingElseIsSkipped() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        RSAPublicKey strong = (RSAPublicKey) rsa.generateKeyPair().getPublic();
        rsa.initialize(1024);
        RSAPublicKey weak = (RSAPublicKey) rsa.generateKeyPair().getPublic();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey p256 = (ECPublicKey) ec.generateKeyPair().getPublic();
        String set = "{\"keys\":[" + rsaJwk("rsa-1", strong) + ","
                + rsaJwk("weak", weak) + ","
                + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"ec-1\",\"x\":\"" + b64(p256.getW().getAffineX()) + "\",\"y\":\"" + b64(p256.getW().getAffineY()) + "\"},"
                + "{\"kty\":\"oct\",\"kid\":\"shared\",\"k\":\"c2VjcmV0\"},"
                + rsaJwk("rsa-1", strong) + ","
                + rsaJwk("", strong) + ","
                + rsaJwk("enc", strong).replace("\"use\":\"sig\"", "\"use\":\"enc\"") + "]}";

        List<SigningKey> keys = Jwks.parse(set);

        assertThat(keys).extracting(SigningKey::kid).containsExactly("rsa-1", "ec-1");
        assertThat(keys).extracting(SigningKey::alg).containsExactly("RS256", "ES256");
        assertThat(Jwks.parse("not json")).isEmpty();
        assertThat(Jwks.parse("{\"keys\":{}}")).isEmpty();
    }

    @Test
    void theSetIsKeptForItsMaxAgeAndFetchedForAnUnknownKidAtMostOnceAMinute() {
        AtomicInteger fetches = new AtomicInteger();
        List<String> bodies = new ArrayList<>(List.of("{\"keys\":[]}"));
        Jwks jwks = new Jwks(url -> {
            fetches.incrementAndGet();
            return Optional.of(new Jwks.Response(bodies.get(0), "public, max-age=600"));
        });
        Instant start = Instant.parse("2026-12-01T10:00:00Z");

        jwks.keys("https://backend.example/jwks", start);
        jwks.keys("https://backend.example/jwks", start.plusSeconds(599));
        assertThat(fetches).hasValue(1);
        assertThat(jwks.refreshForUnknownKid("https://backend.example/jwks", start.plusSeconds(30))).isTrue();
        assertThat(fetches).hasValue(2);
        assertThat(jwks.refreshForUnknownKid("https://backend.example/jwks", start.plusSeconds(89))).as("within the minute").isFalse();
        assertThat(fetches).hasValue(2);
        assertThat(jwks.refreshForUnknownKid("https://backend.example/jwks", start.plusSeconds(91))).isTrue();
        assertThat(fetches).hasValue(3);
        jwks.keys("https://backend.example/jwks", start.plusSeconds(91 + 600));
        assertThat(fetches).hasValue(4);
    }

    @Test
    void maxAgeIsCappedAndDefaulted() {
        assertThat(Jwks.maxAge("max-age=120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(Jwks.maxAge("public, max-age=99999999")).isEqualTo(Duration.ofDays(1));
        assertThat(Jwks.maxAge(null)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void onlyHttpsOrTheLoopbackInterface() {
        assertThat(Jwks.acceptableUrl("https://backend.example.com/.well-known/jwks.json")).isTrue();
        assertThat(Jwks.acceptableUrl("http://127.0.0.1:8080/jwks")).isTrue();
        assertThat(Jwks.acceptableUrl("http://backend.example.com/jwks")).isFalse();
        assertThat(Jwks.acceptableUrl("http://169.254.169.254/latest/meta-data")).isFalse();
        assertThat(Jwks.acceptableUrl("https://169.254.169.254/latest/meta-data")).as("the metadata address over HTTPS").isFalse();
        assertThat(Jwks.acceptableUrl("https://10.0.0.1/jwks")).isFalse();
        assertThat(Jwks.acceptableUrl("https://[fd00:ec2::254]/jwks")).isFalse();
        assertThat(Jwks.acceptableUrl("https://93.184.216.34/jwks")).isTrue();
        assertThat(Jwks.reachesOnlyPublicOrLoopback("https://127.0.0.1:8443/jwks", true)).isTrue();
        assertThat(Jwks.reachesOnlyPublicOrLoopback("https://192.168.1.10/jwks", true)).isFalse();
    }

    @Test
    void aDeployedFunctionFetchesNoSetFromTheLoopbackInterface() throws Exception {
        // (on Lambda, 127.0.0.1 is the runtime API's address: a set URL there must not reach it)
        assertThat(Jwks.acceptableUrl("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next", false)).isFalse();
        assertThat(Jwks.acceptableUrl("https://localhost/jwks", false)).isFalse();
        assertThat(Jwks.acceptableUrl("https://[::1]/jwks", false)).isFalse();
        assertThat(Jwks.acceptableUrl("https://backend.example.com/jwks", false)).isTrue();
        assertThat(Jwks.reachesOnlyPublicOrLoopback("https://127.0.0.1:8443/jwks", false)).isFalse();

        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"keys\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
            new Jwks(false).refreshForUnknownKid(url, java.time.Instant.now());
            assertThat(requests.get()).as("a deployed function's fetch").isZero();
            Jwks local = new Jwks(true);
            local.refreshForUnknownKid(url, java.time.Instant.now());
            assertThat(requests.get()).as("the local server's fetch").isEqualTo(1);
            assertThat(local.unreachable(url)).isFalse();
        } finally {
            server.stop(0);
        }
        assertThat(Jwks.acceptableUrl("https://user:pw@backend.example.com/jwks")).isFalse();
        assertThat(Jwks.acceptableUrl("file:///etc/passwd")).isFalse();
        assertThat(Jwks.acceptableUrl("not a url")).isFalse();
    }
}
