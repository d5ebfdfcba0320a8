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
        String sealed = seal.seal("app-secret-value-0123456789");
        assertThat(sealed).startsWith("uhseal1.").doesNotContain("app-secret-value");
        assertThat(seal.seal("app-secret-value-0123456789")).as("a data key and nonce of its own each time").isNotEqualTo(sealed);
        assertThat(new SecretSeal(SecretSeal.localKey(KEK)).open(sealed)).isEqualTo("app-secret-value-0123456789");
    }

    @Test
    void anotherKeyCannotOpenItAndATamperedOneIsRefused() {
        String sealed = new SecretSeal(SecretSeal.localKey(KEK)).seal("s3cret");
        SecretSeal other = new SecretSeal(SecretSeal.localKey("fedcba9876543210fedcba9876543210".getBytes()));
        assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(IllegalStateException.class);
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BA" : "AA");
        assertThatThrownBy(() -> new SecretSeal(SecretSeal.localKey(KEK)).open(tampered)).isInstanceOf(RuntimeException.class);
        assertThat(SecretSeal.NONE.open(sealed)).as("no key to open it: it stays sealed").isEqualTo(sealed);
    }

    @Test
    void eachSecretIsUnwrappedOncePerFunctionSoALoginPaysNoKmsCall() {
        SecretSeal.KeyWrapper local = SecretSeal.localKey(KEK);
        AtomicInteger unwraps = new AtomicInteger();
        SecretSeal seal = new SecretSeal(new SecretSeal.KeyWrapper() {
            @Override
            public DataKey generateDataKey() {
                return local.generateDataKey();
            }

            @Override
            public byte[] unwrap(byte[] wrapped) {
                unwraps.incrementAndGet();
                return local.unwrap(wrapped);
            }
        });
        String sealed = seal.seal("s3cret");
        for (int login = 0; login < 5; login++) {
            assertThat(seal.open(sealed)).isEqualTo("s3cret");
        }
        assertThat(unwraps).hasValue(1);
    }

    @Test
    void aSecretStoredBeforeSealingReadsAsItIsUntilSealed() {
        assertThat(new SecretSeal(SecretSeal.localKey(KEK)).open("plain-old-secret")).isEqualTo("plain-old-secret");
        assertThat(SecretSeal.NONE.seal("plain")).isEqualTo("plain");
    }

    @Test
    void theLocalKeyFileIsMadeOnceAndReadAfterwards(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("data/secrets.key");
        String sealed = new SecretSeal(SecretSeal.localKey(file)).seal("kept");
        assertThat(file).exists();
        assertThat(new SecretSeal(SecretSeal.localKey(file)).open(sealed)).isEqualTo("kept");
    }
}
