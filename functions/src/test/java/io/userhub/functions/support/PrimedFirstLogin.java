package io.userhub.functions.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.userhub.functions.login.LoginHandler;
import io.userhub.shared.config.SnapStartPriming;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.token.TokenSigner;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Run in a fresh JVM on the packaged Lambda jar (PrimedFirstLoginIT, benchmarks/cold-start.sh):
 * the login handler built as Lambda builds it, the SnapStart priming its checkpoint would run,
 * then a real first login; prints one JSON line with the classes that login still had to load.
 * Arguments: app id, kid, HS256 secret of a real app in the tables the environment names, and
 * optionally {@code unprimed} to skip the priming (the reference the figures compare with).
 */
public final class PrimedFirstLogin {
    private PrimedFirstLogin() {}

    public static void main(String[] args) {
        LoginHandler handler = new LoginHandler();
        long primingStarted = System.nanoTime();
        boolean primed = args.length < 4 || !"unprimed".equals(args[3]);
        SnapStartPriming.Report priming = primed ? SnapStartPriming.prime(Wiring.lambda()) : new SnapStartPriming.Report(List.of());
        long primingMillis = (System.nanoTime() - primingStarted) / 1_000_000;
        long before = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();

        SigningKey key = new SigningKey(args[1], "HS256", args[2], SigningKey.Status.ACTIVE, 0);
        String token = TokenSigner.sign(key, Map.of("iat", Instant.now().getEpochSecond(),
                "identities", List.of(Map.of("identifier", "uid", "value", "primed-" + UUID.randomUUID()))));
        APIGatewayV2HTTPEvent event = LoginHandler.requestEvent(args[0], token, "primed-" + UUID.randomUUID(), "primed-first-login");
        long loginStarted = System.nanoTime();
        var response = handler.handleRequest(event, null);
        int status = response.getStatusCode();
        long loginMicros = (System.nanoTime() - loginStarted) / 1_000;
        long after = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        System.out.println("{\"what\":\"" + (primed ? "primed" : "unprimed") + " first login\",\"priming_statuses\":" + priming.statuses()
                + ",\"priming_ms\":" + primingMillis
                + ",\"classes_after_priming\":" + before + ",\"first_login_new_classes\":" + (after - before)
                + ",\"first_login_us\":" + loginMicros + ",\"status\":" + status + (status == 200 ? "" : ",\"answer\":" + response.getBody()) + "}");
        System.exit(0);
    }
}
