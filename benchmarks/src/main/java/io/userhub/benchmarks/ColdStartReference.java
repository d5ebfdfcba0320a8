package io.userhub.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The naive reference for {@link ColdStart}: what a first login would cost written the obvious way
 * (java-jwt to verify, a default-built DynamoDB client, one GetItem of the app and one PutItem of
 * a session), in a fresh JVM on the same classpath. Arguments as ColdStart's.
 */
public final class ColdStartReference {
    private ColdStartReference() {}

    public static void main(String[] args) {
        String token = JWT.create().withKeyId(args[1]).withIssuedAt(Instant.now()).withClaim("sub", "cold")
                .sign(Algorithm.HMAC256(args[2]));
        DecodedJWT verified = JWT.require(Algorithm.HMAC256(args[2])).build().verify(token);
        DynamoDbClient dynamo = DynamoDbClient.create();
        Map<String, AttributeValue> app = dynamo.getItem(b -> b.tableName(System.getenv("APPS_TABLE"))
                .key(Map.of("pk", AttributeValue.fromS("APP#" + args[0]), "sk", AttributeValue.fromS("CONFIG")))).item();
        dynamo.putItem(b -> b.tableName(System.getenv("SESSIONS_TABLE")).item(Map.of(
                "pk", AttributeValue.fromS("S#reference#" + UUID.randomUUID()),
                "user", AttributeValue.fromS(verified.getSubject()))));
        ColdStart.report("naive reference", app.isEmpty() ? 404 : 200);
    }
}
