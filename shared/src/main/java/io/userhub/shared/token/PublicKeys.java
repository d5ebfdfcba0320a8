package io.userhub.shared.token;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.math.BigInteger;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/** PEM public keys (SubjectPublicKeyInfo) of RS256 and ES256 keys, parsed once and kept. */
public final class PublicKeys {
    private PublicKeys() {}

    private static final ConcurrentHashMap<String, PublicKey> PARSED = new ConcurrentHashMap<>();

    /** RSA moduli below this are refused (NIST SP 800-57: 2048 bits for RS256). */
    public static final int RSA_MIN_BITS = 2048;

    /**
     * @throws IllegalArgumentException when the text is not a public key of that type, or is one
     *                                  too weak for its JWS algorithm: RSA below 2048 bits, or an
     *                                  EC key on any curve but P-256 (RFC 7518 3.4: ES256 is P-256)
     */
    public static PublicKey parse(String pem, String algorithm) {
        return PARSED.computeIfAbsent(algorithm + ":" + pem, k -> {
            String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("not a PEM " + algorithm + " public key", e);
            }
            if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < RSA_MIN_BITS) {
                throw new IllegalArgumentException("RSA key of " + rsa.getModulus().bitLength() + " bits: RS256 needs at least " + RSA_MIN_BITS);
            }
            if (key instanceof ECPublicKey ec && !isP256(ec.getParams())) {
                throw new IllegalArgumentException("EC key is not on P-256: ES256 takes P-256 keys only");
            }
            return key;
        });
    }

    private static boolean isP256(ECParameterSpec params) {
        return params.getCurve().getField().getFieldSize() == 256 && P256_ORDER.equals(params.getOrder())
                && params.getCofactor() == 1;
    }

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    static boolean verify(String javaAlgorithm, PublicKey key, byte[] input, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(javaAlgorithm);
            verifier.initVerify(key);
            verifier.update(input);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
