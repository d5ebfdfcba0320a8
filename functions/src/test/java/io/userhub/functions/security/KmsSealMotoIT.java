package io.userhub.functions.security;

import io.userhub.functions.support.MotoServer;
import io.userhub.shared.config.AwsClients;
import io.userhub.shared.config.Environment;
import io.userhub.shared.crypto.SecretSeal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KMS key wrapper against moto_server's KMS (skipped where moto_server is not installed; the
 * envelope itself is covered without it by SecretSealTest and SecretsAtRestIT).
 */
@ExtendWith(MotoServer.class)
class KmsSealMotoIT {

    @Test
    void secretsSealedWithAKmsDataKeyOpenInAnotherFunction() {
        String keyId;
        try (KmsClient kms = KmsClient.builder().endpointOverride(MotoServer.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("moto", "moto"))).build()) {
            keyId = kms.createKey(b -> b.description("userhub test")).keyMetadata().keyId();
        }
        Map<String, String> env = Map.of(Environment.SECRETS_KMS_KEY_ID, keyId, "AWS_ENDPOINT_URL", MotoServer.endpoint().toString(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "moto", "AWS_SECRET_ACCESS_KEY", "moto");
        SecretSeal operator = AwsClients.secretSeal(new Environment(env));
        String sealed = operator.seal("hs256-secret-from-the-operator", "app-1/k1");
        assertThat(sealed).startsWith("uhseal1.").doesNotContain("hs256-secret");
        SecretSeal function = AwsClients.secretSeal(new Environment(env));
        assertThat(function.open(sealed, "app-1/k1")).isEqualTo("hs256-secret-from-the-operator");
    }
}
