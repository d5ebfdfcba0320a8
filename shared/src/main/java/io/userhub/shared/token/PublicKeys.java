package io.userhub.shared.token;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/** PEM public keys (SubjectPublicKeyInfo) of RS256 and ES256 keys, parsed once and kept. */
public final class PublicKeys {
    private PublicKeys() {}

    private static final ConcurrentHashMap<String, PublicKey> PARSED = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException when the text is not a public key of that type */
    public static PublicKey parse(String pem, String algorithm) {
        return PARSED.computeIfAbsent(algorithm + ":" + pem, k -> {
            String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("not a PEM " + algorithm + " public key", e);
            }
        });
    }

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
