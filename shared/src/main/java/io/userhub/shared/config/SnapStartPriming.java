package io.userhub.shared.config;

import io.userhub.shared.http.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.store.PrimingDynamo;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.token.TokenSigner;
import io.userhub.shared.token.TokenVerifier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Before SnapStart takes its snapshot, runs the hot path once: JSON, token signing and
 * verification, a DynamoDB read (of an app that does not exist) on the function's own client,
 * and each registered {@link Exercise}: a handler's real requests through {@code handleRequest},
 * on a wiring whose DynamoDB is the {@link PrimingDynamo} stand-in, so the restored function
 * starts with that whole path loaded and initialised and nothing was written to its tables.
 */
public final class SnapStartPriming implements Resource {
    /** CRaC keeps only weak references to resources. */
    private static SnapStartPriming registered;

    private static final List<Exercise> EXERCISES = new CopyOnWriteArrayList<>();

    private final Wiring wiring;

    /**
     * Requests a handler makes before the snapshot, against the priming app on the stand-in.
     *
     * @return the HTTP statuses of its answers (the priming reports them; a failure never stops the snapshot)
     */
    public interface Exercise {
        List<Integer> run(Wiring primingWiring, AppConfig primingApp, SigningKey primingKey);
    }

    /** What a priming run did: the exercises' answers and the calls the stand-in answered. */
    public record Report(List<Integer> statuses, int standInCalls) {}

    /** Adds a handler's exercise (once per exercise, however many instances are built). */
    public static void exercise(Exercise exercise) {
        if (!EXERCISES.contains(exercise)) {
            EXERCISES.add(exercise);
        }
    }

    private SnapStartPriming(Wiring wiring) {
        this.wiring = wiring;
    }

    public static synchronized void register(Wiring wiring) {
        if (registered == null) {
            registered = new SnapStartPriming(wiring);
            Core.getGlobalContext().register(registered);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime(wiring);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to restore: the SDK opens new connections when the old ones fail.
    }

    /** The priming itself, callable without a checkpoint (tests, the cold-start benchmark). */
    public static Report prime(Wiring wiring) {
        SigningKey key = new SigningKey("prime", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
        AppConfig app = new AppConfig("snapstart-priming-app", "snapstart-priming-domain", true, List.of(key), List.of(),
                AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)));
        String token = TokenSigner.sign(key, Map.of("iat", 0L, "identities", List.of(Map.of("identifier", "uid", "value", "prime"))));
        TokenVerifier.verify(token, app, TokenVerifier.KidPolicy.REQUIRED, wiring.clock().instant());
        Json.write(Json.parseObject("{\"prime\":true}").orElseThrow());
        try {
            wiring.apps().require("snapstart-priming");
        } catch (RuntimeException expected) {
            // APP_NOT_FOUND is the expected answer: the read path is what was primed.
        }
        if (EXERCISES.isEmpty()) {
            return new Report(List.of(), 0);
        }
        try {
            return exercise(wiring, app, key);
        } catch (RuntimeException | LinkageError unavailable) {
            // No loopback server in this runtime: a colder snapshot, never a function that cannot start.
            return new Report(List.of(-1), 0);
        }
    }

    private static Report exercise(Wiring wiring, AppConfig app, SigningKey key) {
        List<Integer> statuses = new ArrayList<>();
        try (PrimingDynamo standIn = PrimingDynamo.start(app)) {
            Map<String, String> variables = new HashMap<>(System.getenv());
            variables.put("AWS_ENDPOINT_URL_DYNAMODB", standIn.endpoint().toString());
            Wiring priming = Wiring.of(AwsClients.dynamo(new Environment(variables), List.of()), wiring.tables(),
                    wiring.clock(), Duration.ofSeconds(60));
            try {
                for (Exercise exercise : EXERCISES) {
                    try {
                        statuses.addAll(exercise.run(priming, app, key));
                    } catch (RuntimeException failed) {
                        // A priming that fails leaves a colder snapshot, never a function that cannot start.
                        statuses.add(-1);
                    }
                }
            } finally {
                // The priming logins' key-use notes go to the stand-in too: let them land before it stops.
                io.userhub.shared.config.BackgroundWrites.awaitAll();
                priming.parallel().shutdownNow();
                priming.dynamo().close();
            }
            return new Report(statuses, standIn.calls());
        }
    }
}
