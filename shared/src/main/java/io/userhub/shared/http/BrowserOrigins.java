package io.userhub.shared.http;

import io.userhub.shared.session.SessionAccess;

import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.validation.Rejection;

import java.util.Optional;
import java.util.Set;

/**
 * The CORS scope of the browser-facing routes: the app of the path (login) or of the session
 * token (the session routes), read from the warm function's app cache. A request whose app
 * cannot be told (no token, an unknown app) gets the stack's origins; the route then refuses it
 * on its own grounds.
 */
public final class BrowserOrigins {
    private BrowserOrigins() {}

    public static ApiHandler.CorsScope ofApp(Optional<AppConfig> app, Set<String> stackOrigins) {
        return new ApiHandler.CorsScope(stackOrigins, app.map(a -> a.settings().allowedOrigins()).orElse(Set.of()));
    }

    public static ApiHandler.CorsScope ofPath(HttpRequest request, AppDirectory apps, Set<String> stackOrigins) {
        Optional<AppConfig> app;
        try {
            app = Optional.of(apps.require(request.pathParameter("appId")));
        } catch (Rejection unknownApp) {
            app = Optional.empty();
        }
        return ofApp(app, stackOrigins);
    }

    public static ApiHandler.CorsScope ofSession(HttpRequest request, SessionAccess sessions, Set<String> stackOrigins) {
        Optional<AppConfig> app;
        try {
            app = Optional.of(sessions.locate(request.bearer().orElse(null)).app());
        } catch (Rejection noSession) {
            app = Optional.empty();
        }
        return ofApp(app, stackOrigins);
    }
}
