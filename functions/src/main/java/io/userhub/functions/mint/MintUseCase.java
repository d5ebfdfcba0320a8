package io.userhub.functions.mint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.token.TokenSigner;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.LoginConfigRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs identity tokens for a customer's backend with the app's newest active key. The request
 * passes through the same identity rules login applies, so a minted token never fails them.
 */
public final class MintUseCase {


    public record MintedToken(String token, String kid, String type, long issuedAt, Long expiresAt, String jti) {}

    private final AppDirectory apps;
    private final Clock clock;

    public MintUseCase(Wiring wiring) {
        this.apps = wiring.apps();
        this.clock = wiring.clock();
    }

    public AppConfig app(String appId) {
        return apps.require(appId);
    }

    public MintedToken mint(AppConfig app, ObjectNode body) {
        if (!app.identityEnabled()) {
            throw Problem.of(Reason.IDENTITY_FEATURE_NOT_ENABLED).reject();
        }
        Instant now = clock.instant();
        long issuedAt = now.getEpochSecond();
        Long expiresAt = expiresAt(body.get("expires_in"), app, issuedAt);
        String jti = singleUse(body.get("single_use")) ? Hashing.randomId() : null;

        Map<String, Object> claims = new LinkedHashMap<>();
        String type;
        if (body.has("external_id")) {
            type = "external_id";
            claims.put("scope", "user");
            claims.put("external_id", IdentityRules.requireUidValue("external_id", body.get("external_id"),
                    app.settings().blockedValues(), Reason.EXTERNAL_ID_INVALID));
        } else {
            type = "identities";
            List<Identity> identities = IdentityRules.readIdentities(body, app.settings().blockedValues());
            if (!LoginConfigRules.readFullPrivacy(fullPrivacyConfig(body))) {
                IdentityRules.requireUidOrEmail(identities);
            }
            claims.put("identities", identityClaims(identities));
        }
        claims.put("iat", issuedAt);
        if (expiresAt != null) {
            claims.put("exp", expiresAt);
        }
        if (jti != null) {
            claims.put("jti", jti);
        }
        SigningKey key = app.signingKey().orElseThrow(() -> Problem.of(Reason.NO_ACTIVE_KEY).reject());
        return new MintedToken(TokenSigner.sign(key, claims), key.kid(), type, issuedAt, expiresAt, jti);
    }

    private static JsonNode fullPrivacyConfig(ObjectNode body) {
        ObjectNode config = Json.object();
        if (body.has(LoginConfigRules.FULL_PRIVACY)) {
            config.set(LoginConfigRules.FULL_PRIVACY, body.get(LoginConfigRules.FULL_PRIVACY));
        }
        return config;
    }

    private static List<Map<String, Object>> identityClaims(List<Identity> identities) {
        List<Map<String, Object>> claims = new ArrayList<>();
        for (Identity identity : identities) {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("identifier", identity.identifier());
            claim.put("value", identity.value());
            if (!identity.metadata().isEmpty()) {
                claim.put("metadata", new LinkedHashMap<>(identity.metadata()));
            }
            claims.add(claim);
        }
        return claims;
    }

    /** A token may live at most as long as login accepts its iat. */
    private static Long expiresAt(JsonNode expiresIn, AppConfig app, long issuedAt) {
        if (expiresIn == null || expiresIn.isNull()) {
            return null;
        }
        long max = app.settings().identityTokenMaxAge().toSeconds();
        if (!expiresIn.isIntegralNumber()) {
            throw Problem.field("expires_in", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        if (expiresIn.asLong() < 1 || expiresIn.asLong() > max) {
            throw Problem.withDetails(Reason.FIELD_INVALID, Map.of("field", "expires_in", "min", 1, "max", max)).reject();
        }
        return issuedAt + expiresIn.asLong();
    }

    private static boolean singleUse(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw Problem.field("single_use", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        return node.booleanValue();
    }
}
