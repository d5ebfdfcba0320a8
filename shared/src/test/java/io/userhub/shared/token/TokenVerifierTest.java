package io.userhub.shared.token;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TokenVerifierTest {
    private static final String SECRET = "app-one-secret-0123456789abcdef";
    private static final AppConfig APP = new AppConfig("app-1", "dom-1", true, List.of(
            new SigningKey("k1", "HS256", SECRET, SigningKey.Status.ACTIVE, 1),
            new SigningKey("old", "HS256", "retired-secret-0123456789abcdef", SigningKey.Status.RETIRED, 0)),
            List.of(), AppSettings.defaults());
    private static final String PAYLOAD = "{\"identities\":[{\"identifier\":\"uid\",\"value\":\"u1\"}],\"iat\":1700000000}";

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sign(String header, String payload, String alg, String secret) {
        try {
            String input = b64(header) + "." + b64(payload);
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), alg));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Problem rejection(String token, TokenVerifier.KidPolicy policy) {
        return catchThrowableOfType(Rejection.class, () -> TokenVerifier.verify(token, APP, policy, java.time.Instant.now())).problem();
    }

    private static String cause(String token) {
        Problem problem = rejection(token, TokenVerifier.KidPolicy.OPTIONAL);
        assertThat(problem.reason()).isEqualTo(Reason.IDENTITY_TOKEN_INVALID);
        return (String) problem.details().get("cause");
    }

    @Test
    void tokenSignedWithAnActiveKeyIsVerified() {
        VerifiedToken token = TokenVerifier.verify(sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", PAYLOAD, "HmacSHA256", SECRET),
                APP, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now());
        assertThat(token.kid()).isEqualTo("k1");
        assertThat(token.iat()).isEqualTo(1_700_000_000L);
    }

    @Test
    void tokenWithoutKidIsTriedAgainstActiveKeysOnly() {
        assertThat(TokenVerifier.verify(sign("{\"alg\":\"HS256\"}", PAYLOAD, "HmacSHA256", SECRET), APP,
                TokenVerifier.KidPolicy.OPTIONAL, java.time.Instant.now()).kid()).isEqualTo("k1");
        assertThat(cause(sign("{\"alg\":\"HS256\"}", PAYLOAD, "HmacSHA256", "retired-secret-0123456789abcdef"))).isEqualTo("SIGNATURE");
    }

    @Test
    void kidIsRequiredWhereThePolicySaysSo() {
        Problem problem = rejection(sign("{\"alg\":\"HS256\"}", PAYLOAD, "HmacSHA256", SECRET), TokenVerifier.KidPolicy.REQUIRED);
        assertThat(problem.details()).containsEntry("cause", "UNKNOWN_KEY");
    }

    @Test
    void unknownAndRetiredKidsAreUnknownKeys() {
        assertThat(cause(sign("{\"alg\":\"HS256\",\"kid\":\"nope\"}", PAYLOAD, "HmacSHA256", SECRET))).isEqualTo("UNKNOWN_KEY");
        assertThat(cause(sign("{\"alg\":\"HS256\",\"kid\":\"old\"}", PAYLOAD, "HmacSHA256", "retired-secret-0123456789abcdef"))).isEqualTo("UNKNOWN_KEY");
    }

    @Test
    void kidIsAnExactKeyNotAPatternOrPath() {
        assertThat(cause(sign("{\"alg\":\"HS256\",\"kid\":\"K1\"}", PAYLOAD, "HmacSHA256", SECRET))).isEqualTo("UNKNOWN_KEY");
        assertThat(cause(sign("{\"alg\":\"HS256\",\"kid\":\"../k1\"}", PAYLOAD, "HmacSHA256", SECRET))).isEqualTo("UNKNOWN_KEY");
    }

    @Test
    void wrongSignatureIsRejected() {
        assertThat(cause(sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", PAYLOAD, "HmacSHA256", "another-app-secret"))).isEqualTo("SIGNATURE");
        String tampered = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", PAYLOAD, "HmacSHA256", SECRET);
        String[] parts = tampered.split("\\.");
        String forged = parts[0] + "." + b64(PAYLOAD.replace("u1", "admin")) + "." + parts[2];
        assertThat(cause(forged)).isEqualTo("SIGNATURE");
    }

    @Test
    void algNoneIsRejectedInAnySpelling() {
        assertThat(cause(b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + b64(PAYLOAD) + ".")).isEqualTo("ALGORITHM");
        assertThat(cause(b64("{\"alg\":\"NoNe\"}") + "." + b64(PAYLOAD) + ".")).isEqualTo("ALGORITHM");
    }

    @Test
    void algorithmOtherThanTheKeysIsRejected() {
        assertThat(cause(sign("{\"alg\":\"HS512\",\"kid\":\"k1\"}", PAYLOAD, "HmacSHA512", SECRET))).isEqualTo("ALGORITHM");
        assertThat(cause(sign("{\"alg\":\"RS256\",\"kid\":\"k1\"}", PAYLOAD, "HmacSHA256", SECRET))).isEqualTo("ALGORITHM");
    }

    @Test
    void keyMaterialInTheHeaderIsNeverTrusted() {
        for (String header : List.of("jwk", "jku", "x5u", "x5c")) {
            String token = sign("{\"alg\":\"HS256\",\"kid\":\"k1\",\"" + header + "\":\"http://evil\"}", PAYLOAD, "HmacSHA256", SECRET);
            Problem problem = rejection(token, TokenVerifier.KidPolicy.OPTIONAL);
            assertThat(problem.details()).containsEntry("cause", "MALFORMED").containsEntry("header", header);
        }
    }

    @Test
    void criticalHeaderExtensionsAreRejected() {
        String token = sign("{\"alg\":\"HS256\",\"kid\":\"k1\",\"crit\":[\"exp\"]}", PAYLOAD, "HmacSHA256", SECRET);
        assertThat(rejection(token, TokenVerifier.KidPolicy.OPTIONAL).details()).containsEntry("header", "crit");
    }

    @Test
    void duplicateClaimNamesAreRejected() {
        String payload = "{\"identities\":[],\"iat\":1700000000,\"iat\":1800000000}";
        assertThat(cause(sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", payload, "HmacSHA256", SECRET))).isEqualTo("MALFORMED");
    }

    @Test
    void nonNumericTimeClaimsAreRejected() {
        for (String claim : List.of("iat", "exp", "nbf")) {
            String payload = "{\"identities\":[],\"" + claim + "\":\"1700000000\"}";
            Problem problem = rejection(sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", payload, "HmacSHA256", SECRET), TokenVerifier.KidPolicy.OPTIONAL);
            assertThat(problem.details()).containsEntry("cause", "MALFORMED").containsEntry("claim", claim);
        }
    }

    @Test
    void oversizedTokensAreRejectedBeforeParsing() {
        String huge = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"pad\":\"" + "x".repeat(20_000) + "\"}", "HmacSHA256", SECRET);
        Problem problem = rejection(huge, TokenVerifier.KidPolicy.OPTIONAL);
        assertThat(problem.details()).containsEntry("cause", "MALFORMED").containsEntry("problem", "TOKEN_TOO_LARGE");
    }

    @Test
    void deeplyNestedPayloadIsRejected() {
        String nested = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        assertThat(cause(sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", nested, "HmacSHA256", SECRET))).isEqualTo("MALFORMED");
    }

    @Test
    void garbageIsMalformed() {
        for (String garbage : List.of("abc", "a.b", "a.b.c.d.e", "!!!.???.***", b64("[1]") + "." + b64(PAYLOAD) + ".x", ".")) {
            assertThat(cause(garbage)).as(garbage).isEqualTo("MALFORMED");
        }
    }

    @Test
    void aKeyOfAnotherAppNeverVerifies() {
        AppConfig other = new AppConfig("app-2", "dom-2", true,
                List.of(new SigningKey("k1", "HS256", "second-app-secret-xyz", SigningKey.Status.ACTIVE, 1)), List.of(), AppSettings.defaults());
        String tokenForOther = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", PAYLOAD, "HmacSHA256", "second-app-secret-xyz");
        TokenVerifier.verify(tokenForOther, other, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now());
        assertThat(cause(tokenForOther)).isEqualTo("SIGNATURE");
    }

    private static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static String signAsymmetric(String header, String payload, String javaAlgorithm, java.security.PrivateKey key) throws Exception {
        String input = b64(header) + "." + b64(payload);
        java.security.Signature signer = java.security.Signature.getInstance(javaAlgorithm);
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    }

    @Test
    void rs256AndEs256TokensVerifyWithTheirPublicKeys() throws Exception {
        java.security.KeyPairGenerator rsaGenerator = java.security.KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        java.security.KeyPair rsa = rsaGenerator.generateKeyPair();
        java.security.KeyPairGenerator ecGenerator = java.security.KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair ec = ecGenerator.generateKeyPair();
        AppConfig app = new AppConfig("app-pk", "dom-pk", true, List.of(
                new SigningKey("rsa", "RS256", pem(rsa.getPublic()), SigningKey.Status.ACTIVE, 1),
                new SigningKey("ec", "ES256", pem(ec.getPublic()), SigningKey.Status.ACTIVE, 2)), List.of(), AppSettings.defaults());

        assertThat(TokenVerifier.verify(signAsymmetric("{\"alg\":\"RS256\",\"kid\":\"rsa\"}", PAYLOAD, "SHA256withRSA", rsa.getPrivate()),
                app, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now()).kid()).isEqualTo("rsa");
        assertThat(TokenVerifier.verify(signAsymmetric("{\"alg\":\"ES256\",\"kid\":\"ec\"}", PAYLOAD, "SHA256withECDSAinP1363Format", ec.getPrivate()),
                app, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now()).kid()).isEqualTo("ec");

        String derEncoded = signAsymmetric("{\"alg\":\"ES256\",\"kid\":\"ec\"}", PAYLOAD, "SHA256withECDSA", ec.getPrivate());
        assertThat(catchThrowableOfType(Rejection.class, () -> TokenVerifier.verify(derEncoded, app, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now()))
                .problem().details()).containsEntry("cause", "SIGNATURE");
        String otherKeySigned = signAsymmetric("{\"alg\":\"RS256\",\"kid\":\"rsa\"}", PAYLOAD, "SHA256withRSA",
                rsaGenerator.generateKeyPair().getPrivate());
        assertThat(catchThrowableOfType(Rejection.class, () -> TokenVerifier.verify(otherKeySigned, app, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now()))
                .problem().details()).containsEntry("cause", "SIGNATURE");
        assertThat(app.signingKey(java.time.Instant.now())).as("userhub holds no private key to sign with").isEmpty();
    }

    @Test
    void anRsaPublicKeyIsNeverUsedAsAnHmacSecret() throws Exception {
        java.security.KeyPairGenerator rsaGenerator = java.security.KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        String publicPem = pem(rsaGenerator.generateKeyPair().getPublic());
        AppConfig app = new AppConfig("app-pk", "dom-pk", true,
                List.of(new SigningKey("rsa", "RS256", publicPem, SigningKey.Status.ACTIVE, 1)), List.of(), AppSettings.defaults());
        String confused = sign("{\"alg\":\"HS256\",\"kid\":\"rsa\"}", PAYLOAD, "HmacSHA256", publicPem);
        assertThat(catchThrowableOfType(Rejection.class, () -> TokenVerifier.verify(confused, app, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now()))
                .problem().details()).containsEntry("cause", "ALGORITHM");
    }

    @Test
    void signerAndVerifierAgree() {
        SigningKey key = APP.signingKey(java.time.Instant.now()).orElseThrow();
        String token = TokenSigner.sign(key, Map.of("iat", 1_700_000_000L, "scope", "user"));
        VerifiedToken verified = TokenVerifier.verify(token, APP, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now());
        assertThat(verified.payload().get("scope").asText()).isEqualTo("user");
        assertThat(verified.header().get("kid").asText()).isEqualTo("k1");
    }

    @Test
    void timeClaimsOutsideZeroToTwoToTheFortyAreMalformed() {
        long now = 1_700_000_000L;
        for (String claim : List.of("\"iat\":" + (new java.math.BigInteger("18446744073709551616").add(java.math.BigInteger.valueOf(now))),
                "\"iat\":-9223372036854775808", "\"iat\":-1e300", "\"nbf\":18446744073709551621",
                "\"exp\":9223372036854775807", "\"iat\":1099511627777", "\"exp\":1e400")) {
            String payload = "{\"identities\":[]," + claim + "}";
            Problem problem = rejection(sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", payload, "HmacSHA256", SECRET), TokenVerifier.KidPolicy.OPTIONAL);
            assertThat(problem.details()).as(claim).containsEntry("cause", "MALFORMED");
        }
        String atTheEdge = "{\"identities\":[],\"iat\":0,\"exp\":1099511627776}";
        VerifiedToken edge = TokenVerifier.verify(sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", atTheEdge, "HmacSHA256", SECRET), APP, TokenVerifier.KidPolicy.OPTIONAL, java.time.Instant.now());
        assertThat(edge.exp()).isEqualTo(1L << 40);
    }

    @Test
    void nonCanonicalBase64UrlIsMalformed() {
        String token = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", PAYLOAD, "HmacSHA256", SECRET);
        TokenVerifier.verify(token, APP, TokenVerifier.KidPolicy.OPTIONAL, java.time.Instant.now());
        String[] parts = token.split("\\.");
        // A 32-byte HMAC is 43 characters: the last one carries 4 bits, so 2 low bits are unused.
        String signature = parts[2];
        String tweakedSignature = signature.substring(0, 42) + flipUnusedBits(signature.charAt(42));
        assertThat(Base64.getUrlDecoder().decode(tweakedSignature)).isEqualTo(Base64.getUrlDecoder().decode(signature));
        assertThat(rejection(parts[0] + "." + parts[1] + "." + tweakedSignature, TokenVerifier.KidPolicy.OPTIONAL).details())
                .containsEntry("cause", "MALFORMED").containsEntry("problem", "NON_CANONICAL_BASE64URL");
    }

    private static char flipUnusedBits(char c) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet.charAt(alphabet.indexOf(c) ^ 1);
    }

    @Test
    void weakRsaKeysAndEcKeysOffP256AreRefused() throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        java.security.KeyPair weak = rsa.generateKeyPair();
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
        java.security.KeyPair p521 = ec.generateKeyPair();
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> PublicKeys.parse(pem(weak.getPublic()), "RSA")))
                .hasMessageContaining("2048");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> PublicKeys.parse(pem(p521.getPublic()), "EC")))
                .hasMessageContaining("P-256");

        // Keys stored before the rule verify nothing: the answer is SIGNATURE, never a 500.
        AppConfig app = new AppConfig("app-weak", "dom-weak", true, List.of(
                new SigningKey("rsa", "RS256", pem(weak.getPublic()), SigningKey.Status.ACTIVE, 1)), List.of(), AppSettings.defaults());
        String token = signAsymmetric("{\"alg\":\"RS256\",\"kid\":\"rsa\"}", PAYLOAD, "SHA256withRSA", weak.getPrivate());
        assertThat(catchThrowableOfType(Rejection.class, () -> TokenVerifier.verify(token, app, TokenVerifier.KidPolicy.REQUIRED, java.time.Instant.now()))
                .problem().details()).containsEntry("cause", "SIGNATURE");
    }

    @Test
    void aScheduledKeyVerifiesOnlyInsideItsWindow() {
        java.time.Instant start = java.time.Instant.parse("2026-12-24T09:00:00Z");
        SigningKey planned = new SigningKey("next", "HS256", SECRET, SigningKey.Status.ACTIVE, 0)
                .withSchedule(start.getEpochSecond(), start.plus(java.time.Duration.ofDays(14)).getEpochSecond());
        AppConfig app = new AppConfig("scheduled", "d", true, List.of(planned), List.of(), AppSettings.defaults());
        String withKid = sign("{\"alg\":\"HS256\",\"kid\":\"next\"}", PAYLOAD, "HmacSHA256", SECRET);
        String withoutKid = sign("{\"alg\":\"HS256\"}", PAYLOAD, "HmacSHA256", SECRET);

        for (java.time.Instant outside : List.of(start.minusSeconds(1), start.plus(java.time.Duration.ofDays(14)))) {
            for (String token : List.of(withKid, withoutKid)) {
                Problem refused = catchThrowableOfType(Rejection.class,
                        () -> TokenVerifier.verify(token, app, TokenVerifier.KidPolicy.OPTIONAL, outside)).problem();
                assertThat(refused.details().get("cause")).as(outside + " " + token).isEqualTo("UNKNOWN_KEY");
            }
            assertThat(app.signingKey(outside)).isEmpty();
        }
        assertThat(TokenVerifier.verify(withKid, app, TokenVerifier.KidPolicy.REQUIRED, start).kid()).isEqualTo("next");
        assertThat(TokenVerifier.verify(withoutKid, app, TokenVerifier.KidPolicy.OPTIONAL, start.plusSeconds(3600)).kid()).isEqualTo("next");
        assertThat(app.signingKey(start)).map(SigningKey::kid).contains("next");
    }
}
