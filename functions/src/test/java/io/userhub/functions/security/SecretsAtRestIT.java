package io.userhub.functions.security;

import io.userhub.functions.support.Harness;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.crypto.SecretSeal;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.store.AppStore;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader of the Apps table alone learns no signing secret; the functions still verify and sign with them. */
@ExtendWith(DynamoDbLocalExtension.class)
class SecretsAtRestIT {
    private static final SecretSeal SEAL = new SecretSeal(SecretSeal.localKey("userhub-test-key-exactly-32bytes".getBytes()));

    private static Map<String, AttributeValue> appItem(String appId) {
        return DynamoDbLocalExtension.client(List.of()).getItem(b -> b.tableName(DynamoDbLocalExtension.tables().apps())
                .key(Map.of("pk", AttributeValue.fromS("APP#" + appId), "sk", AttributeValue.fromS("CONFIG")))).item();
    }

    private static String storedSecret(String appId, String kid) {
        return appItem(appId).get("keys").m().get(kid).m().get("secret").s();
    }

    @Test
    void sealedSecretsAreStoredWithoutThemAndStillSignAndVerify() {
        AppStore sealing = new AppStore(DynamoDbLocalExtension.client(List.of()), DynamoDbLocalExtension.tables().apps(), SEAL);
        TestApps.TestApp app = TestApps.create(sealing, s -> s);
        String stored = storedSecret(app.appId(), app.kid());
        assertThat(stored).startsWith("uhseal1.").doesNotContain(app.secret());
        assertThat(appItem(app.appId()).toString()).doesNotContain(app.secret());

        Harness h = Harness.through(clock -> Wiring.of(DynamoDbLocalExtension.client(List.of()), DynamoDbLocalExtension.tables(), clock,
                Duration.ofSeconds(60), SEAL), app);
        assertThat(h.login("d1", h.identitiesToken("uid", "sealed-user")).status()).as("a token of the sealed secret verifies").isEqualTo(200);
        assertThat(h.mint(io.userhub.shared.json.Json.object().set("identities", io.userhub.shared.json.Json.MAPPER.valueToTree(
                List.of(Map.of("identifier", "uid", "value", "minted"))))).status()).as("and minting signs with it").isEqualTo(200);

        Harness wrongKey = Harness.through(clock -> Wiring.of(DynamoDbLocalExtension.client(List.of()), DynamoDbLocalExtension.tables(), clock,
                Duration.ofSeconds(60), SecretSeal.NONE), app);
        Harness.Response withoutKey = wrongKey.login("d2", wrongKey.identitiesToken("uid", "x"));
        assertThat(withoutKey.status()).as("a function without the key cannot use it").isEqualTo(401);
        assertThat(withoutKey.text("/details/cause")).isEqualTo("UNKNOWN_KEY");
        String sealedText = storedSecret(app.appId(), app.kid());
        Harness.Response forged = wrongKey.login("d3", io.userhub.testkit.TestTokens.hs256(app.kid(), sealedText,
                io.userhub.testkit.TestTokens.identitiesPayload(wrongKey.now(), "uid", "forged")));
        assertThat(forged.status()).as("the sealed text a table reader has never signs a token").isEqualTo(401);

        // the sealed secret copied onto another app's key opens nowhere: that key is unusable
        TestApps.TestApp other = TestApps.create(sealing, s -> s);
        DynamoDbLocalExtension.client(List.of()).updateItem(b -> b.tableName(DynamoDbLocalExtension.tables().apps())
                .key(Map.of("pk", AttributeValue.fromS("APP#" + other.appId()), "sk", AttributeValue.fromS("CONFIG")))
                .updateExpression("SET #keys.#kid.#secret = :copied")
                .expressionAttributeNames(Map.of("#keys", "keys", "#kid", other.kid(), "#secret", "secret"))
                .expressionAttributeValues(Map.of(":copied", AttributeValue.fromS(sealedText))));
        Harness copied = Harness.through(clock -> Wiring.of(DynamoDbLocalExtension.client(List.of()), DynamoDbLocalExtension.tables(), clock,
                Duration.ofSeconds(60), SEAL), other);
        assertThat(copied.login("d4", io.userhub.testkit.TestTokens.hs256(other.kid(), app.secret(),
                io.userhub.testkit.TestTokens.identitiesPayload(copied.now(), "uid", "moved"))).status()).isEqualTo(401);
    }

    @Test
    void theOperatorsSealSecretsReplacesSecretsStoredInClear() {
        TestApps.TestApp app = TestApps.create(new AppStore(DynamoDbLocalExtension.client(List.of()), DynamoDbLocalExtension.tables().apps()),
                s -> s);
        assertThat(storedSecret(app.appId(), app.kid())).isEqualTo(app.secret());
        AppStore sealing = new AppStore(DynamoDbLocalExtension.client(List.of()), DynamoDbLocalExtension.tables().apps(), SEAL);
        assertThat(sealing.sealSecrets(app.appId())).isEqualTo(1);
        assertThat(storedSecret(app.appId(), app.kid())).startsWith("uhseal1.");
        assertThat(sealing.sealSecrets(app.appId())).as("already sealed").isZero();
        assertThat(sealing.find(app.appId()).orElseThrow().keyRing().get(0).secret()).isEqualTo(app.secret());
    }
}
