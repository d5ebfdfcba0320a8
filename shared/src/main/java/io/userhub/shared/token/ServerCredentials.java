package io.userhub.shared.token;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;
import io.userhub.shared.validation.TokenTimeRules;

import java.time.Instant;
import java.util.Map;

/**
 * Server-to-server authentication: the app's API key (compared as a SHA-256 digest, in constant
 * time, against every active key) or a JWT signed with one of the app's keys, with a kid and
 * {@code scope: app}. Credentials of one app never authenticate for another: both checks use
 * only the app named in the path.
 */
public final class ServerCredentials {
    private ServerCredentials() {}

    /**
     * @param credential the request's bearer credential (API key or app-scope JWT), null when it carried none
     * @return the kid of the key that verified an app-scope JWT (empty for an API key)
     */
    public static java.util.Optional<String> authenticate(String credential, AppConfig app, Instant now) {
        if (credential == null) {
            throw Problem.withDetails(Reason.UNAUTHORIZED, Map.of("problem", "MISSING_CREDENTIALS")).reject();
        }
        if (credential.chars().filter(c -> c == '.').count() == 2) {
            return java.util.Optional.of(authenticateJwt(credential, app, now));
        }
        if (!matchesApiKey(credential, app)) {
            throw Problem.withDetails(Reason.UNAUTHORIZED, Map.of("problem", "INVALID_API_KEY")).reject();
        }
        return java.util.Optional.empty();
    }

    private static boolean matchesApiKey(String credential, AppConfig app) {
        String digest = Hashing.sha256Hex(credential);
        boolean match = false;
        for (String hash : app.apiKeyHashes()) {
            match |= Hashing.sameDigest(hash, digest);
        }
        return match;
    }

    private static String authenticateJwt(String credential, AppConfig app, Instant now) {
        try {
            VerifiedToken token = TokenVerifier.verify(credential, app, TokenVerifier.KidPolicy.REQUIRED, now);
            TokenTimeRules.checkAppScopeTimes(token.iat(), token.exp(), token.nbf(), now, app.settings());
            JsonNode scope = token.payload().get("scope");
            if (scope == null || !scope.isTextual() || !scope.asText().equals("app")) {
                throw Problem.withDetails(Reason.UNAUTHORIZED, Map.of("problem", "SCOPE_NOT_APP")).reject();
            }
            return token.kid();
        } catch (Rejection rejection) {
            if (rejection.problem().reason() == Reason.UNAUTHORIZED) {
                throw rejection;
            }
            throw Problem.withDetails(Reason.UNAUTHORIZED, rejection.problem().details()).reject();
        }
    }
}
