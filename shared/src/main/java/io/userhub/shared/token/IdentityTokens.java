package io.userhub.shared.token;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.TokenTimeRules;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the two token formats clients log in with. Minting signs only what these accept. */
public final class IdentityTokens {
    private IdentityTokens() {}

    /** An identities JWT (Helpshift format): signature, iat/exp, then the identities rules. */
    public static IdentityAssertion readIdentitiesToken(String token, AppConfig app, Instant now) {
        VerifiedToken verified = TokenVerifier.verify(token, app, TokenVerifier.KidPolicy.OPTIONAL, now);
        TokenTimeRules.checkIdentityTokenTimes(verified.iat(), verified.exp(), verified.nbf(), now, app.settings());
        List<Identity> identities = IdentityRules.readIdentities(verified.payload(), app.settings().blockedValues());
        return new IdentityAssertion(identities, verified.iat(), verified.exp(), verified.jti(), verified.kid());
    }

    /**
     * An external-id JWT (Sunshine Conversations format): a known kid, {@code scope: user} and a
     * string {@code external_id} equal to the one the client claims; a number is refused.
     */
    public static IdentityAssertion readExternalIdToken(String token, String claimedExternalId, AppConfig app, Instant now) {
        VerifiedToken verified = TokenVerifier.verify(token, app, TokenVerifier.KidPolicy.REQUIRED, now);
        // The same age limit as identity tokens: a leaked external-id token does not live forever.
        TokenTimeRules.checkIdentityTokenTimes(verified.iat(), verified.exp(), verified.nbf(), now, app.settings());
        JsonNode scope = verified.payload().get("scope");
        if (scope == null || !scope.isTextual() || !scope.asText().equals("user")) {
            throw Problem.withErrors(Reason.EXTERNAL_ID_INVALID, Map.of("scope", ErrorCode.INVALID_VALUE.name())).reject();
        }
        String externalId = IdentityRules.requireUidValue("external_id", verified.payload().get("external_id"),
                app.settings().blockedValues(), Reason.EXTERNAL_ID_INVALID);
        if (!externalId.equals(claimedExternalId)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("problem", "EXTERNAL_ID_MISMATCH");
            throw new Problem(Reason.EXTERNAL_ID_INVALID, Map.of("external_id", ErrorCode.INVALID_VALUE.name()), details).reject();
        }
        return new IdentityAssertion(List.of(Identity.uid(externalId)), verified.iat(), verified.exp(), verified.jti(), verified.kid());
    }
}
