package io.userhub.shared.crypto;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSealTest {
    private static final byte[] KEK = "0123456789abcdef0123456789abcdef".getBytes();

    @Test
    void aSealedSecretShowsNothingOfItselfAndOpensUnderItsKey() {
        SecretSeal seal = new SecretSeal(SecretSeal.localKey(KEK));
        String sealed = seal.seal("app-secret-value-0123456789", "app-1/k1");
        assertThat(sealed).startsWith("uhseal1.").doesNotContain("app-secret-value");
        assertThat(seal.seal("app-secret-value-0123456789", "app-1/k1")).as("a data key and nonce of its own each time").isNotEqualTo(sealed);
        assertThat(new SecretSeal(SecretSeal.localKey(KEK)).open(sealed, "app-1/k1")).isEqualTo("app-secret-value-0123456789");
    }

    @Test
    void anotherKeyCannotOpenItAndATamperedOneIsRefused() {
        String sealed = new SecretSeal(SecretSeal.localKey(KEK)).seal("s3cret", "app-1/k1");
        SecretSeal other = new SecretSeal(SecretSeal.localKey("fedcba9876543210fedcba9876543210".getBytes()));
        assertThatThrownBy(() -> other.open(sealed, "app-1/k1")).isInstanceOf(SecretSeal.Unopenable.class);
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BA" : "AA");
        assertThatThrownBy(() -> new SecretSeal(SecretSeal.localKey(KEK)).open(tampered, "app-1/k1")).isInstanceOf(SecretSeal.Unopenable.class);
        assertThatThrownBy(() -> new SecretSeal(SecretSeal.localKey(KEK)).open(sealed, "app-2/k1"))
                .as("copied onto another app, it opens nowhere").isInstanceOf(SecretSeal.Unopenable.class);
        assertThatThrownBy(() -> SecretSeal.NONE.open(sealed, "app-1/k1")).as("no key: never the sealed text as the secret")
                .isInstanceOf(SecretSeal.Unopenable.class);
    }

    @Test
    void eachSecretIsUnwrappedOncePerFunctionSoALoginPaysNoKmsCall() {
        SecretSeal.KeyWrapper local = SecretSeal.localKey(KEK);
        AtomicInteger unwraps = new AtomicInteger();
        SecretSeal seal = new SecretSeal(new SecretSeal.KeyWrapper() {
            @Override
            public DataKey generateDataKey(String context) {
                return local.generateDataKey(context);
            }

            @Override
            public byte[] unwrap(byte[] wrapped, String context) {
                unwraps.incrementAndGet();
                return local.unwrap(wrapped, context);
            }
        });
        String sealed = seal.seal("s3cret", "app-1/k1");
        for (int login = 0; login < 5; login++) {
            assertThat(seal.open(sealed, "app-1/k1")).isEqualTo("s3cret");
        }
        assertThat(unwraps).hasValue(1);
    }

    @Test
    void aSecretStoredBeforeSealingReadsAsItIsUntilSealed() {
        assertThat(new SecretSeal(SecretSeal.localKey(KEK)).open("plain-old-secret", "app-1/k1")).isEqualTo("plain-old-secret");
        assertThat(SecretSeal.NONE.seal("plain", "app-1/k1")).isEqualTo("plain");
    }

    @Test
    void theLocalKeyFileIsMadeOnceAndReadAfterwards(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("data/secrets.key");
        String sealed = new SecretSeal(SecretSeal.localKey(file)).seal("kept", "a/k");
        assertThat(file).exists();
        assertThat(new SecretSeal(SecretSeal.localKey(file)).open(sealed, "a/k")).isEqualTo("kept");
    }
}
