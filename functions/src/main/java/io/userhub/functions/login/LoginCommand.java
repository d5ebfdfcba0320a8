package io.userhub.functions.login;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.model.LoginMode;

import java.util.Optional;

/** A parsed login request, one shape per login mode of SPEC section 2. */
public sealed interface LoginCommand {
    String appId();

    String deviceId();

    /** The session token of an Authorization header: the login replaces that session. */
    Optional<String> replacingSessionToken();

    LoginMode mode();

    /** {@code expected} carries a web widget's configured user id / email, which the token must match. */
    record Expected(String userId, String userEmail) {
        public static final Expected NONE = new Expected(null, null);
    }

    record IdentitiesLogin(String appId, String deviceId, Optional<String> replacingSessionToken,
                           String identityToken, JsonNode config, Expected expected) implements LoginCommand {
        public LoginMode mode() {
            return LoginMode.IDENTITIES_JWT;
        }
    }

    record ExternalIdLogin(String appId, String deviceId, Optional<String> replacingSessionToken,
                           JsonNode externalId, String jwt) implements LoginCommand {
        public LoginMode mode() {
            return LoginMode.EXTERNAL_ID_JWT;
        }
    }

    record UserIdLogin(String appId, String deviceId, Optional<String> replacingSessionToken,
                       JsonNode user) implements LoginCommand {
        public LoginMode mode() {
            return LoginMode.USER_ID;
        }
    }
}
