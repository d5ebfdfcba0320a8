package io.userhub.shared.token;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.IdentityVerification;
import io.userhub.shared.validation.InvalidPayloadDetails;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;
import io.userhub.shared.validation.TokenFailureCause;
import io.userhub.shared.validation.TokenTimeRules;

import java.time.Instant;
import java.util.ArrayList;
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
        List<Identity> identities;
        try {
            identities = IdentityRules.readIdentities(verified.payload(), app.settings().blockedValues());
        } catch (Rejection invalid) {
            throw InvalidPayloadDetails.fromToken(invalid.problem(), "identity_token").reject();
        }
        IdentityVerification.Split split = IdentityVerification.split(identities, verified.payload(),
                app.settings().requireVerifiedEmail());
        io.userhub.shared.model.AttributeChanges attributes = io.userhub.shared.validation.SignedAttributes
                .read(verified.payload(), app.settings().customFieldSchema()).orElse(null);
        if (attributes != null && verified.jti() == null) {
            // Attributes are state: a replayed older token would roll them back (a downgraded plan back to
            // "pro"), so a token that carries them is single-use.
            throw Problem.token(TokenFailureCause.MALFORMED, "problem", "ATTRIBUTES_NEED_JTI").reject();
        }
        return new IdentityAssertion(split.verified(), verified.iat(), verified.exp(), verified.jti(), verified.kid(), List.of(),
                split.unverified(), attributes);
    }

    /**
     * An external-id JWT (Sunshine Conversations format): a known kid, {@code scope: user} and a
     * string {@code external_id} equal to the one the client claims; a number is refused. With the
     * app's Sunshine compatibility setting, also what Sunshine itself accepts (see {@link SunshineRelaxation}).
     */
    public static IdentityAssertion readExternalIdToken(String token, String claimedExternalId, AppConfig app, Instant now) {
        boolean sunshine = app.settings().sunshineCompatibility();
        VerifiedToken verified = TokenVerifier.verify(token, app, TokenVerifier.KidPolicy.REQUIRED, now, sunshine);
        List<SunshineRelaxation> relaxations = new ArrayList<>();
        long issuedAt;
        if (sunshine) {
            issuedAt = sunshineTimes(verified, now, app.settings(), relaxations);
        } else {
            // The same age limit as identity tokens: a leaked external-id token does not live forever.
            TokenTimeRules.checkIdentityTokenTimes(verified.iat(), verified.exp(), verified.nbf(), now, app.settings());
            issuedAt = verified.iat();
        }
        JsonNode scope = verified.payload().get("scope");
        String idClaim = "external_id";
        if (sunshine && scope != null && scope.isTextual() && scope.asText().equals("appUser")) {
            idClaim = "userId";
            relaxations.add(SunshineRelaxation.APP_USER_SCOPE);
        } else if (scope == null || !scope.isTextual() || !scope.asText().equals("user")) {
            throw Problem.withErrors(Reason.EXTERNAL_ID_INVALID, Map.of("scope", ErrorCode.INVALID_VALUE.name())).reject();
        }
        String externalId = IdentityRules.requireUidValue(idClaim, verified.payload().get(idClaim),
                app.settings().blockedValues(), Reason.EXTERNAL_ID_INVALID);
        if (!externalId.equals(claimedExternalId)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("problem", "EXTERNAL_ID_MISMATCH");
            throw new Problem(Reason.EXTERNAL_ID_INVALID, Map.of("external_id", ErrorCode.INVALID_VALUE.name()), details).reject();
        }
        return new IdentityAssertion(List.of(Identity.uid(externalId)), issuedAt, verified.exp(), verified.jti(), verified.kid(),
                relaxations);
    }

    /**
     * Sunshine's time rules: exp (and nbf), when present, are the only bounds; iat may be absent or
     * of any age. The token's iat orders its assertion, as in strict mode; without one (or one
     * ahead of the clock) the login's own time stands in. A jti is remembered until exp, or for the
     * app's token max age from that time.
     */
    private static long sunshineTimes(VerifiedToken verified, Instant now, io.userhub.shared.model.AppSettings settings,
                                      List<SunshineRelaxation> relaxations) {
        TokenTimeRules.checkExpiryAndNotBefore(verified.exp(), verified.nbf(), now, settings);
        if (!verified.has("iat")) {
            relaxations.add(SunshineRelaxation.IAT_ABSENT);
        } else if (now.getEpochSecond() - verified.iat() > settings.identityTokenMaxAge().toSeconds()) {
            relaxations.add(SunshineRelaxation.IAT_PAST_MAX_AGE);
        }
        JsonNode exp = verified.payload().get("exp");
        if (exp != null && exp.isTextual()) {
            relaxations.add(SunshineRelaxation.EXP_AS_STRING);
        }
        return verified.has("iat") ? Math.min(verified.iat(), now.getEpochSecond()) : now.getEpochSecond();
    }
}
