package io.userhub.benchmarks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.userhub.functions.login.LoginHandler;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.token.TokenSigner;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One login in a fresh JVM, the way a cold Lambda instance answers its first request: the
 * handler built with its no-argument constructor (as Lambda builds it), one event, one answer.
 * Prints the time from JVM start to the answer and the classes loaded. Run by cold-start.sh
 * on the packaged Lambda jar, beside {@link ColdStartReference}.
 * Arguments: app id, kid, HS256 secret (the local server's demo app).
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) {
        SigningKey key = new SigningKey(args[1], "HS256", args[2], SigningKey.Status.ACTIVE, 0);
        String token = TokenSigner.sign(key, Map.of("iat", Instant.now().getEpochSecond(),
                "identities", List.of(Map.of("identifier", "uid", "value", "cold-" + UUID.randomUUID()))));
        APIGatewayV2HTTPEvent event = LoginHandler.requestEvent(args[0], token, "cold-" + UUID.randomUUID(), "cold-start");
        APIGatewayV2HTTPResponse response = new LoginHandler().handleRequest(event, null);
        report("userhub", response.getStatusCode());
    }

    static void report(String what, int status) {
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        System.out.println("{\"what\":\"" + what + "\",\"status\":" + status + ",\"first_answer_ms\":" + sinceStart
                + ",\"classes_loaded\":" + classes + "}");
        System.exit(0);
    }
}
