package io.userhub.shared.config;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;

import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.List;

/**
 * Builds AWS clients with the lean UrlConnection HTTP client and explicit region and
 * credentials, honouring AWS_ENDPOINT_URL(_DYNAMODB) for DynamoDB Local, sam local and LocalStack.
 */
public final class AwsClients {
    private AwsClients() {}

    public static DynamoDbClient dynamo(Environment env, List<ExecutionInterceptor> interceptors) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(RequestDeadline.ATTEMPT_TIMEOUT)
                        .build())
                .region(Region.of(env.get("AWS_REGION").orElse("us-east-1")))
                .credentialsProvider(credentials(env))
                .endpointProvider(new RegionalDynamoEndpoint())
                .overrideConfiguration(c -> {
                    interceptors.forEach(c::addExecutionInterceptor);
                    c.addExecutionInterceptor(new RequestDeadline());
                    c.addExecutionInterceptor(new io.userhub.shared.observability.DynamoDbTiming());
                    // Bounded calls: a DynamoDB that never answers costs at most CALL_TIMEOUT, then 503.
                    c.apiCallTimeout(RequestDeadline.CALL_TIMEOUT);
                    c.apiCallAttemptTimeout(RequestDeadline.ATTEMPT_TIMEOUT);
                    // A single-item write that meets an ongoing transaction on its item is rejected with
                    // TransactionConflictException; it is safe to repeat, like throttling.
                    c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .retryOnException(TransactionConflictException.class)
                            .build());
                });
        env.dynamoEndpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }

    /**
     * DynamoDB's regional endpoint (or the configured override) without the SDK's endpoint rules
     * engine, which a cold start would otherwise load and run for the first call (the rules cover
     * FIPS, dual-stack and account-based endpoints, none of which userhub uses).
     */
    static final class RegionalDynamoEndpoint implements DynamoDbEndpointProvider {
        @Override
        public CompletableFuture<Endpoint> resolveEndpoint(DynamoDbEndpointParams params) {
            String region = params.region() == null ? "us-east-1" : params.region().id();
            String url = params.endpoint() != null ? params.endpoint()
                    : "https://dynamodb." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
            return CompletableFuture.completedFuture(Endpoint.builder().url(URI.create(url)).build());
        }
    }

    /** The webhook engine's queue client: a call that hangs costs 5 s, then the delivery is retried by SQS itself. */
    public static software.amazon.awssdk.services.sqs.SqsClient sqs(Environment env) {
        return lean(software.amazon.awssdk.services.sqs.SqsClient.builder(), env, "SQS", Duration.ofSeconds(5))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(8)).apiCallAttemptTimeout(Duration.ofSeconds(5)))
                .build();
    }

    /**
     * What the clients of the services besides DynamoDB share: the lean UrlConnection HTTP client
     * (2 s to connect), the region and credentials, and {@code AWS_ENDPOINT_URL_<SERVICE>} (else
     * {@code AWS_ENDPOINT_URL}) for an emulator.
     */
    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> B lean(B builder, Environment env, String service,
                                                                                              Duration socketTimeout) {
        builder.httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(socketTimeout)
                        .build())
                .region(Region.of(env.get("AWS_REGION").orElse("us-east-1")))
                .credentialsProvider(credentials(env));
        env.get("AWS_ENDPOINT_URL_" + service).or(() -> env.get("AWS_ENDPOINT_URL"))
                .ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder;
    }

    public static EventBridgeClient eventBridge(Environment env) {
        EventBridgeClientBuilder builder = lean(EventBridgeClient.builder(), env, "EVENTBRIDGE", Duration.ofSeconds(10))
                // A PutEvents that hangs must not hold a notifier run until its timeout: the sessions
                // stay unmarked and the next run publishes them. One attempt may use the whole budget:
                // PutEvents is not idempotent, and a retry after a timed-out attempt that did land
                // publishes every notice of the batch twice. Fast failures (throttling, 5xx) still retry.
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)).apiCallAttemptTimeout(Duration.ofSeconds(5)));
        return builder.build();
    }

    /**
     * The seal of the apps' secrets: a KMS key on AWS ({@code SECRETS_KMS_KEY_ID}), a key file of
     * the local data directory ({@code SECRETS_LOCAL_KEY_FILE}), or none (secrets as stored).
     */
    public static io.userhub.shared.crypto.SecretSeal secretSeal(Environment env) {
        java.util.Optional<String> kmsKey = env.get(Environment.SECRETS_KMS_KEY_ID).filter(k -> !k.isBlank());
        if (kmsKey.isPresent()) {
            software.amazon.awssdk.services.kms.KmsClient kms = lean(software.amazon.awssdk.services.kms.KmsClient.builder(), env, "KMS",
                    Duration.ofSeconds(2))
                    .overrideConfiguration(c -> c.apiCallTimeout(RequestDeadline.CALL_TIMEOUT)
                            .apiCallAttemptTimeout(RequestDeadline.ATTEMPT_TIMEOUT)
                            .addExecutionInterceptor(new RequestDeadline()))
                    .build();
            return new io.userhub.shared.crypto.SecretSeal(new KmsKeyWrapper(kms, kmsKey.get()));
        }
        return env.get(Environment.SECRETS_LOCAL_KEY_FILE).filter(f -> !f.isBlank())
                .map(file -> new io.userhub.shared.crypto.SecretSeal(io.userhub.shared.crypto.SecretSeal.localKey(java.nio.file.Path.of(file))))
                .orElse(io.userhub.shared.crypto.SecretSeal.NONE);
    }

    /** KMS as the key encryption key: GenerateDataKey to seal, Decrypt to open (the functions that create webhook secrets may seal; the others only Decrypt). */
    record KmsKeyWrapper(software.amazon.awssdk.services.kms.KmsClient kms, String keyId)
            implements io.userhub.shared.crypto.SecretSeal.KeyWrapper {
        @Override
        public DataKey generateDataKey(String context) {
            var key = kms.generateDataKey(b -> b.keyId(keyId).keySpec(software.amazon.awssdk.services.kms.model.DataKeySpec.AES_256)
                    .encryptionContext(java.util.Map.of("purpose", "userhub-secret", "secret", context)));
            return new DataKey(key.plaintext().asByteArray(), key.ciphertextBlob().asByteArray());
        }

        @Override
        public byte[] unwrap(byte[] wrapped, String context) {
            return kms.decrypt(b -> b.keyId(keyId).ciphertextBlob(software.amazon.awssdk.core.SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(java.util.Map.of("purpose", "userhub-secret", "secret", context))).plaintext().asByteArray();
        }
    }

    static AwsCredentialsProvider credentials(Environment env) {
        var accessKey = env.get("AWS_ACCESS_KEY_ID");
        var secretKey = env.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey.isPresent() && secretKey.isPresent()) {
            var sessionToken = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(sessionToken.isPresent()
                    ? AwsSessionCredentials.create(accessKey.get(), secretKey.get(), sessionToken.get())
                    : AwsBasicCredentials.create(accessKey.get(), secretKey.get()));
        }
        if (env.dynamoEndpoint().isPresent()) {
            // DynamoDB Local and LocalStack accept any credentials; a developer needs no AWS account.
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
