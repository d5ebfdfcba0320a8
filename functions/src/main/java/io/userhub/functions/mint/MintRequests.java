package io.userhub.functions.mint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.functions.mint.MintUseCase.MintCommand;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.LoginConfigRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.util.List;
import java.util.Map;

/**
 * Turns a mint request's body into a {@link MintCommand}, with the identity rules login applies
 * (the app's blocked values among them), so that a minted token never fails login validation.
 */
final class MintRequests {
    private MintRequests() {}

    static MintCommand parse(ObjectNode body, AppConfig app) {
        Long expiresIn = expiresIn(body.get("expires_in"), app);
        boolean singleUse = singleUse(body.get("single_use"));
        if (body.has("external_id")) {
            return new MintCommand.ExternalIdToken(
                    IdentityRules.requireText("external_id", body.get("external_id"), Reason.EXTERNAL_ID_INVALID), expiresIn, singleUse);
        }
        List<Identity> identities = IdentityRules.readIdentities(body, app.settings().blockedValues());
        return new MintCommand.IdentitiesToken(identities, LoginConfigRules.readFullPrivacy(fullPrivacyConfig(body)), expiresIn, singleUse);
    }

    private static JsonNode fullPrivacyConfig(ObjectNode body) {
        ObjectNode config = Json.object();
        if (body.has(LoginConfigRules.FULL_PRIVACY)) {
            config.set(LoginConfigRules.FULL_PRIVACY, body.get(LoginConfigRules.FULL_PRIVACY));
        }
        return config;
    }

    /** A token may live at most as long as login accepts its iat. */
    private static Long expiresIn(JsonNode expiresIn, AppConfig app) {
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
        return expiresIn.asLong();
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
