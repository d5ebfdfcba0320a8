package io.userhub.testkit;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.crypto.Hashing;

import java.util.List;
import java.util.function.UnaryOperator;

/** Creates apps with fresh ids, one HS256 key and one API key, for tests. */
public final class TestApps {
    private TestApps() {}

    public record TestApp(String appId, String domainId, String kid, String secret, String apiKey, AppSettings settings) {}

    public static TestApp create(AppStore store, UnaryOperator<AppSettings> settings) {
        return create(store, "dom-" + Hashing.randomId().substring(0, 12), true, settings);
    }

    public static TestApp create(AppStore store, String domainId, boolean identityEnabled, UnaryOperator<AppSettings> settings) {
        String appId = "app-" + Hashing.randomId().substring(0, 12);
        String kid = "kid-" + Hashing.randomId().substring(0, 8);
        String secret = Hashing.randomToken();
        String apiKey = "uh_" + Hashing.randomToken();
        AppSettings applied = settings.apply(AppSettings.defaults());
        store.create(new AppConfig(appId, domainId, identityEnabled,
                List.of(new SigningKey(kid, "HS256", secret, SigningKey.Status.ACTIVE, 1)),
                List.of(Hashing.sha256Hex(apiKey)), applied));
        return new TestApp(appId, domainId, kid, secret, apiKey, applied);
    }
}
