package io.userhub.shared.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Envelope encryption of the secrets userhub keeps (the apps' HS signing secrets): each secret is
 * encrypted (AES-256-GCM) under a data key of its own, and only the data key wrapped by a key
 * encryption key (a KMS key on AWS, a key file locally) is stored beside it, so a reader of the
 * Apps table alone learns nothing. Opened secrets are kept in the warm function, so a login pays
 * no KMS call: a function unwraps each secret once.
 *
 * <p>Stored form: {@code uhseal1.<wrapped data key>.<nonce>.<ciphertext>} (base64url). A value
 * without that prefix is a secret stored before sealing; it is read as it is until the operator's
 * {@code seal-secrets} replaces it.
 */
public final class SecretSeal {
    /** What wraps data keys: a KMS key, or a key kept in the local data directory. */
    public interface KeyWrapper {
        record DataKey(byte[] plaintext, byte[] wrapped) {}

        /** @param context what the secret belongs to (the app and kid): bound to the wrapped key */
        DataKey generateDataKey(String context);

        byte[] unwrap(byte[] wrapped, String context);
    }

    /** A sealed secret there is no key to open: its key never verifies or signs (never its sealed text). */
    public static final class Unopenable extends RuntimeException {
        Unopenable(String message) {
            super(message);
        }
    }

    static final String PREFIX = "uhseal1.";
    private static final String PURPOSE = "userhub-secret";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Secrets are few (a handful of keys per app): the cache is bounded only as a safeguard. */
    private static final int MAX_CACHED = 10_000;

    /** No wrapping: secrets are stored as they are (tests and stacks not yet given a key). */
    public static final SecretSeal NONE = new SecretSeal(null);

    private final KeyWrapper wrapper;
    private final ConcurrentHashMap<String, String> opened = new ConcurrentHashMap<>();

    public SecretSeal(KeyWrapper wrapper) {
        this.wrapper = wrapper;
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    public boolean seals() {
        return wrapper != null;
    }

    /**
     * @param context what the secret belongs to ({@code <app>/<kid>}): bound to the ciphertext and
     *                the wrapped key, so a sealed secret copied onto another app or key opens nowhere
     */
    public String seal(String secret, String context) {
        if (wrapper == null) {
            return secret;
        }
        KeyWrapper.DataKey dataKey = wrapper.generateDataKey(context);
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, dataKey.plaintext(), nonce, secret.getBytes(StandardCharsets.UTF_8), aad(context));
        java.util.Arrays.fill(dataKey.plaintext(), (byte) 0);
        return PREFIX + B64.encodeToString(dataKey.wrapped()) + "." + B64.encodeToString(nonce) + "." + B64.encodeToString(ciphertext);
    }

    /**
     * The secret, from its stored form (a sealed one is unwrapped once per function).
     *
     * @throws Unopenable when the value is sealed and there is no key (or not this context's):
     *         the sealed text must never stand in for the secret, since any table reader has it
     */
    public String open(String stored, String context) {
        if (!isSealed(stored)) {
            return stored;
        }
        if (wrapper == null) {
            throw new Unopenable("a sealed secret, and no key to open it (SECRETS_KMS_KEY_ID or SECRETS_LOCAL_KEY_FILE)");
        }
        String cacheKey = context + "\n" + stored;
        String cached = opened.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        String[] parts = stored.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalStateException("a sealed secret of an unknown form");
        }
        String secret;
        try {
            byte[] dataKey = wrapper.unwrap(B64D.decode(parts[0]), context);
            secret = new String(gcm(Cipher.DECRYPT_MODE, dataKey, B64D.decode(parts[1]), B64D.decode(parts[2]), aad(context)),
                    StandardCharsets.UTF_8);
            java.util.Arrays.fill(dataKey, (byte) 0);
        } catch (IllegalStateException | IllegalArgumentException notThisKeysOrContexts) {
            throw new Unopenable("a sealed secret this key (or this app and kid) does not open");
        }
        if (opened.size() < MAX_CACHED) {
            opened.put(cacheKey, secret);
        }
        return secret;
    }

    private static byte[] aad(String context) {
        return (PURPOSE + "|" + context).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] input, byte[] aad) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the secret could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened"), e);
        }
    }

    /** A key encryption key held in a file of the local data directory (created on first use), standing in for KMS locally. */
    public static KeyWrapper localKey(java.nio.file.Path file) {
        byte[] key;
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            try {
                // Created readable by its owner only, and never over an existing key (two servers starting at once).
                java.nio.file.Files.write(file, B64.encodeToString(fresh).getBytes(StandardCharsets.US_ASCII),
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                try {
                    java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // a file system without POSIX permissions: the file is the user's anyway
                }
                key = fresh;
            } catch (java.nio.file.FileAlreadyExistsException exists) {
                key = B64D.decode(java.nio.file.Files.readString(file).trim());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the local secrets key " + file + " could not be read or written", e);
        }
        return localKey(key);
    }

    public static KeyWrapper localKey(byte[] kek) {
        if (kek.length != 32) {
            throw new IllegalArgumentException("a local secrets key is 32 bytes");
        }
        byte[] kekCopy = kek.clone();
        return new KeyWrapper() {
            @Override
            public DataKey generateDataKey(String context) {
                byte[] dataKey = new byte[32];
                RANDOM.nextBytes(dataKey);
                byte[] nonce = new byte[12];
                RANDOM.nextBytes(nonce);
                byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kekCopy, nonce, dataKey, aad(context));
                byte[] stored = new byte[12 + wrapped.length];
                System.arraycopy(nonce, 0, stored, 0, 12);
                System.arraycopy(wrapped, 0, stored, 12, wrapped.length);
                return new DataKey(dataKey, stored);
            }

            @Override
            public byte[] unwrap(byte[] wrapped, String context) {
                return gcm(Cipher.DECRYPT_MODE, kekCopy, java.util.Arrays.copyOf(wrapped, 12),
                        java.util.Arrays.copyOfRange(wrapped, 12, wrapped.length), aad(context));
            }
        };
    }
}
