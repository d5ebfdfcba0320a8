package io.userhub.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Hand-made JWS tokens, including the malformed and malicious ones a library would refuse to
 * produce (alg none, crit, jku, duplicate claims), for testing the verifier from outside.
 */
public final class TestTokens {
    private TestTokens() {}

    public static String hs256(String kid, String secret, String payloadJson) {
        String header = kid == null ? "{\"alg\":\"HS256\",\"typ\":\"JWT\"}" : "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        return sign(header, payloadJson, "HmacSHA256", secret);
    }

    public static String sign(String headerJson, String payloadJson, String javaMacAlgorithm, String secret) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(javaMacAlgorithm, secret, input));
    }

    /**
     * The same HS256 token issued at {@code iat} (and without its exp): the sample events carry
     * tokens of a fixed day, which login would refuse as too old, so tests send them reissued.
     */
    public static String reissued(String token, String secret, long iat) {
        String[] parts = token.split("\\.");
        ObjectNode payload = (ObjectNode) Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                .orElseThrow(() -> new IllegalArgumentException("not a JWT payload"));
        payload.put("iat", iat);
        payload.remove("exp");
        return sign(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8), Json.write(payload), "HmacSHA256", secret);
    }

    /** A request body with its identity_token and jwt fields {@link #reissued}. */
    public static String reissuedBody(String body, String secret, long iat) {
        ObjectNode json = Json.parseObject(body).orElseThrow(() -> new IllegalArgumentException("not a JSON body"));
        for (String field : java.util.List.of("identity_token", "jwt")) {
            String token = json.path(field).asText("");
            if (token.split("\\.").length == 3) {
                json.put(field, reissued(token, secret, iat));
            }
        }
        return Json.write(json);
    }

    public static String unsigned(String headerJson, String payloadJson) {
        return b64(headerJson) + "." + b64(payloadJson) + ".";
    }

    public static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mac(String algorithm, String secret, String input) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A payload {"identities":[...], "iat": iat} from identifier/value pairs. */
    public static String identitiesPayload(long iat, String... identifierValuePairs) {
        ObjectNode payload = Json.object();
        var identities = payload.putArray("identities");
        for (int i = 0; i < identifierValuePairs.length; i += 2) {
            identities.addObject().put("identifier", identifierValuePairs[i]).put("value", identifierValuePairs[i + 1]);
        }
        payload.put("iat", iat);
        return Json.write(payload);
    }
}
