package io.userhub.local;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.crypto.Hashing;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;

/**
 * The demo app the local server seeds so that a newcomer can log users in at once. Every login
 * mode is on (user id mode is off by default for real apps). On a kept data directory the app
 * already exists: a fresh key and API key are added, since secrets are shown only once.
 */
public final class DemoApp {
    public static final String APP_ID = "demo";
    public static final String DOMAIN_ID = "demo-domain";

    public record Credentials(String appId, String domainId, String kid, String secret, String apiKey) {}

    private DemoApp() {}

    public static Credentials seed(AppStore apps, Clock clock) {
        String kid = "demo-" + Hashing.randomId().substring(0, 8);
        String secret = Hashing.randomToken();
        String apiKey = "uh_" + Hashing.randomToken();
        SigningKey key = new SigningKey(kid, "HS256", secret, SigningKey.Status.ACTIVE, clock.millis());
        if (apps.find(APP_ID).isPresent()) {
            apps.addKey(APP_ID, key);
            apps.addApiKey(APP_ID, Hashing.sha256Hex(apiKey));
        } else {
            AppSettings settings = AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class));
            apps.create(new AppConfig(APP_ID, DOMAIN_ID, true, List.of(key), List.of(Hashing.sha256Hex(apiKey)), settings));
        }
        return new Credentials(APP_ID, DOMAIN_ID, kid, secret, apiKey);
    }
}
