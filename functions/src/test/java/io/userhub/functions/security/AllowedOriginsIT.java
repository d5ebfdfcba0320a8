package io.userhub.functions.security;

import io.userhub.functions.fallback.NotFoundHandler;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.testkit.ApiEvents;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A widget's token works from the app's own sites only, and CORS is answered per app. */
@ExtendWith(DynamoDbLocalExtension.class)
class AllowedOriginsIT {
    private static final String SHOP = "https://shop.example.com";
    private static final String EVIL = "https://evil.example";

    private static Response anonymousLogin(Harness h, String device, String origin) {
        ApiEvents event = ApiEvents.login(h.app.appId()).body(Json.write(Json.object().put("identity_token", "").put("device_id", device)));
        if (origin != null) {
            event.header("origin", origin);
        }
        return h.login(event);
    }

    private static Response session(Harness h, String token, String origin) {
        return Harness.call(h.sessionHandler.handleRequest(ApiEvents.get("/v1/session", "/v1/session").bearer(token)
                .header("origin", origin).build(), null));
    }

    @Test
    void anAppsAllowedOriginsAreTheOnlyPagesItsRoutesAnswer() {
        Harness h = new Harness(s -> s.withAllowedOrigins(Set.of(SHOP)));
        Response refused = anonymousLogin(h, "d1", EVIL);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.reason()).isEqualTo("ORIGIN_NOT_ALLOWED");
        assertThat(refused.text("/details/origin")).isEqualTo(EVIL);
        assertThat(refused.headers()).doesNotContainKey("access-control-allow-origin");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();

        Response allowed = anonymousLogin(h, "d1", SHOP);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.headers()).containsEntry("access-control-allow-origin", SHOP).containsEntry("vary", "Origin");
        Response nativeApp = anonymousLogin(h, "d2", null);
        assertThat(nativeApp.status()).as("no Origin: an app, not a page").isEqualTo(200);
        assertThat(nativeApp.headers()).doesNotContainKey("access-control-allow-origin");

        String token = allowed.text("/session_token");
        Response stolen = session(h, token, EVIL);
        assertThat(stolen.status()).as("the widget's token used from another site's page").isEqualTo(403);
        assertThat(stolen.reason()).isEqualTo("ORIGIN_NOT_ALLOWED");
        Response own = session(h, token, SHOP);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.headers()).containsEntry("access-control-allow-origin", SHOP);
    }

    @Test
    void anAppWithoutItsOwnListTakesTheStacks() {
        Harness h = new Harness();
        Response login = anonymousLogin(h, "d1", EVIL);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.headers()).containsEntry("access-control-allow-origin", "*");
        Response refused = session(h, "demo.not-a-token", EVIL);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers()).as("a refusal is readable by the page too").containsEntry("access-control-allow-origin", "*");
    }

    @Test
    void preflightsLetAnyOriginAskAndTheRequestDecides() {
        Response any = Harness.call(new NotFoundHandler(Set.of("*")).handleRequest(new ApiEvents("OPTIONS", "$default", "/v1/attributes")
                .header("origin", SHOP).header("access-control-request-method", "POST").build(), null));
        assertThat(any.status()).isEqualTo(204);
        assertThat(any.headers()).containsEntry("access-control-allow-origin", "*").containsKey("access-control-allow-methods");

        NotFoundHandler listed = new NotFoundHandler(Set.of(SHOP));
        Response shop = Harness.call(listed.handleRequest(new ApiEvents("OPTIONS", "$default", "/v1/apps/demo/login")
                .header("origin", SHOP).header("access-control-request-method", "POST").build(), null));
        assertThat(shop.headers()).containsEntry("access-control-allow-origin", SHOP).containsEntry("vary", "Origin");
        Response evil = Harness.call(listed.handleRequest(new ApiEvents("OPTIONS", "$default", "/v1/apps/demo/login")
                .header("origin", EVIL).header("access-control-request-method", "POST").build(), null));
        assertThat(evil.status()).isEqualTo(204);
        assertThat(evil.headers()).as("the preflight cannot tell the app: the request is refused instead")
                .containsEntry("access-control-allow-origin", EVIL);
    }
}
