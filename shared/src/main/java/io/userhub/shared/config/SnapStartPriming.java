package io.userhub.shared.config;

import io.userhub.shared.http.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.token.TokenSigner;
import io.userhub.shared.token.TokenVerifier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.List;
import java.util.Map;

/**
 * Before SnapStart takes its snapshot, runs the hot path once: JSON, token signing and
 * verification, and a DynamoDB read (of an app that does not exist), so the restored function
 * starts with those classes loaded and initialised.
 */
public final class SnapStartPriming implements Resource {
    /** CRaC keeps only weak references to resources. */
    private static SnapStartPriming registered;

    private final Wiring wiring;

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

    /** The priming itself, callable without a checkpoint (tests). */
    public static void prime(Wiring wiring) {
        SigningKey key = new SigningKey("prime", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
        AppConfig app = new AppConfig("prime", "prime", true, List.of(key), List.of(), AppSettings.defaults());
        String token = TokenSigner.sign(key, Map.of("iat", 0L, "identities", List.of(Map.of("identifier", "uid", "value", "prime"))));
        TokenVerifier.verify(token, app, TokenVerifier.KidPolicy.REQUIRED);
        Json.write(Json.parseObject("{\"prime\":true}").orElseThrow());
        try {
            wiring.apps().require("snapstart-priming");
        } catch (RuntimeException expected) {
            // APP_NOT_FOUND is the expected answer: the read path is what was primed.
        }
    }
}
