package io.userhub.functions.users;

import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.token.ServerCredentials;

import java.time.Clock;

/** What the server-to-server handlers share: authenticating the backend for the app in the path. */
public final class UserRoutes {
    private final Wiring wiring;
    private final Clock clock;

    public UserRoutes(Wiring wiring) {
        this.wiring = wiring;
        this.clock = wiring.clock();
    }

    public AppConfig authenticate(HttpRequest request) {
        return wiring.apps().authenticated(request.pathParameter("appId"), request.bearer().orElse(null), clock.instant());
    }
}
