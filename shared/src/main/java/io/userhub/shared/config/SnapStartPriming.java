package io.userhub.shared.config;

import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.store.KeyUses;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Before SnapStart takes its snapshot, runs the hot path once: JSON, token signing and
 * verification, a DynamoDB read (of an app that does not exist) on the function's own client,
 * and each registered {@link Exercise}: a handler's real requests through {@code handleRequest},
 * against the function's own tables, for the priming app. That app lives only in the priming's
 * memory (its directory knows no other app, and the Apps table never holds it); its id is one the
 * operator tool refuses to create ({@link #isReservedAppId}) and its domain one no app can have
 * (it holds a dot), so every item the priming writes is keyed under the priming app or domain,
 * apart from any customer's data: a sentinel, as Powertools' idempotency priming keeps one.
 */
public final class SnapStartPriming implements Resource {
    /** The priming app's id: app ids starting with it are refused by the operator tool. */
    public static final String PRIMING_APP_ID = "userhub-snapstart-priming";
    /** The priming app's domain: no domain an operator creates can hold a dot. */
    public static final String PRIMING_DOMAIN_ID = "userhub.snapstart-priming";

    /** CRaC keeps only weak references to resources. */
    private static SnapStartPriming registered;

    private static final List<Exercise> EXERCISES = new CopyOnWriteArrayList<>();

    private final Wiring wiring;

    /**
     * Requests a handler makes before the snapshot, against the priming app.
     *
     * @return the HTTP statuses of its answers (the priming reports them; a failure never stops the snapshot)
     */
    public interface Exercise {
        List<Integer> run(Wiring primingWiring, AppConfig primingApp, SigningKey primingKey);
    }

    /** What a priming run did: the exercises' answers. */
    public record Report(List<Integer> statuses) {}

    /** Whether an app id is the priming's own (or one that could be mistaken for it). */
    public static boolean isReservedAppId(String appId) {
        return appId != null && appId.startsWith(PRIMING_APP_ID);
    }

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
        AppConfig app = new AppConfig(PRIMING_APP_ID, PRIMING_DOMAIN_ID, true, List.of(key), List.of(),
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
            return new Report(List.of());
        }
        // The function's own client and tables; a directory that knows the priming app only.
        AppDirectory primingApps = new AppDirectory(id -> id.equals(app.appId()) ? Optional.of(app) : Optional.empty(),
                new KeyUses(wiring.dynamo(), wiring.tables().users()), BackgroundWrites::submit, wiring.clock(), Duration.ofMinutes(5));
        Wiring priming = new Wiring(wiring.dynamo(), wiring.tables(), wiring.clock(), primingApps, wiring.parallel(),
                wiring.corsAllowOrigins(), wiring.auditRetention(), wiring.erasedIdentityRetention());
        List<Integer> statuses = new ArrayList<>();
        for (Exercise exercise : EXERCISES) {
            try {
                statuses.addAll(exercise.run(priming, app, key));
            } catch (RuntimeException | LinkageError failed) {
                // A priming that fails leaves a colder snapshot, never a function that cannot start.
                statuses.add(-1);
            }
        }
        // The priming logins' background writes (key-use notes) land before the snapshot, not in it.
        BackgroundWrites.awaitAll();
        return new Report(statuses);
    }
}
