package io.userhub.functions.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.LoginConfigRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.TokenFailureCause;
import io.userhub.shared.validation.UserRecordRules;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a login HTTP request into a {@link LoginCommand}: the body's shape picks the mode. */
final class LoginRequests {
    private LoginRequests() {}

    static LoginCommand parse(HttpRequest request) {
        String appId = request.pathParameter("appId");
        ObjectNode body = request.jsonBody();
        String deviceId = deviceId(body.get("device_id"));
        LoginConfigRules.LoginConfig config = LoginConfigRules.read(body.get("config"));
        boolean clearAnonymous = config.clearAnonymousUserOnLogin();
        if (body.has("identity_token")) {
            JsonNode token = body.get("identity_token");
            if (!token.isTextual()) {
                throw Problem.token(TokenFailureCause.MALFORMED).reject();
            }
            return new LoginCommand.IdentitiesLogin(appId, deviceId, token.asText(), config.fullPrivacy(),
                    expected(body.get("expected")), clearAnonymous);
        }
        if (body.has("identities")) {
            return new LoginCommand.UnsignedLogin(appId, deviceId, io.userhub.shared.model.LoginMode.IDENTITIES_JWT,
                    IdentityRules.readIdentities(body, java.util.List.of()), null, clearAnonymous);
        }
        if (body.has("external_id") || body.has("jwt")) {
            String externalId = IdentityRules.requireText("external_id", body.get("external_id"), Reason.EXTERNAL_ID_INVALID);
            if (!body.has("jwt")) {
                return new LoginCommand.UnsignedLogin(appId, deviceId, io.userhub.shared.model.LoginMode.EXTERNAL_ID_JWT,
                        java.util.List.of(), externalId, clearAnonymous);
            }
            String jwt = Json.text(body, "jwt");
            if (jwt == null || jwt.isBlank()) {
                throw Problem.token(TokenFailureCause.MALFORMED).reject();
            }
            return new LoginCommand.ExternalIdLogin(appId, deviceId, externalId, jwt, clearAnonymous);
        }
        if (body.has("user")) {
            return new LoginCommand.UserIdLogin(appId, deviceId, userRecord(body.get("user")), clearAnonymous);
        }
        throw Problem.withErrors(Reason.FIELD_INVALID, Map.of("identity_token", ErrorCode.MISSING.name())).reject();
    }

    private static LoginCommand.UserRecord userRecord(JsonNode user) {
        if (user == null || !user.isObject()) {
            throw Problem.field("user", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        String userId = UserRecordRules.readUserId("user_id", user.get("user_id"), Reason.IDENTITIES_DATA_INVALID);
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String field : UserRecordRules.FIELDS) {
            JsonNode value = user.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                errors.put("user." + field, ErrorCode.INVALID_VALUE_TYPE.name());
            } else if (UserRecordRules.fieldError(field, value.asText()) != null) {
                errors.put("user." + field, UserRecordRules.fieldError(field, value.asText()).name());
            } else if (!value.asText().isBlank()) {
                fields.put(field, value.asText());
            }
        }
        JsonNode securityHash = user.get("security_hash");
        String presentedHash = null;
        if (securityHash != null && !securityHash.isNull()) {
            if (!securityHash.isTextual() || securityHash.asText().isEmpty()) {
                errors.put("user.security_hash", ErrorCode.INVALID_VALUE_TYPE.name());
            } else if (UserRecordRules.securityHashError(securityHash.asText()) != null) {
                errors.put("user.security_hash", UserRecordRules.securityHashError(securityHash.asText()).name());
            } else {
                presentedHash = securityHash.asText();
            }
        }
        if (userId != null && !errors.isEmpty()) {
            throw Problem.withErrors(Reason.FIELD_INVALID, errors).reject();
        }
        return new LoginCommand.UserRecord(userId, fields, presentedHash);
    }

    private static String deviceId(JsonNode node) {
        if (node == null || node.isNull()) {
            throw Problem.field("device_id", ErrorCode.MISSING).reject();
        }
        if (!node.isTextual()) {
            throw Problem.field("device_id", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        if (node.asText().isBlank()) {
            throw Problem.field("device_id", ErrorCode.EMPTY_DATA).reject();
        }
        if (node.asText().length() > Limits.DEVICE_ID_LENGTH_MAX) {
            throw Problem.field("device_id", ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED).reject();
        }
        return node.asText();
    }

    private static LoginCommand.Expected expected(JsonNode node) {
        if (node == null || node.isNull()) {
            return LoginCommand.Expected.NONE;
        }
        if (!node.isObject()) {
            throw Problem.field("expected", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        for (String field : new String[]{"user_id", "user_email"}) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                throw Problem.field("expected." + field, ErrorCode.INVALID_VALUE_TYPE).reject();
            }
        }
        return new LoginCommand.Expected(Json.text(node, "user_id"), Json.text(node, "user_email"));
    }
}
