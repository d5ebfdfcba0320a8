package io.userhub.functions.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.http.Json;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.TokenFailureCause;

import java.util.Map;

/** Turns a login HTTP request into a {@link LoginCommand}: the body's shape picks the mode. */
final class LoginRequests {
    private LoginRequests() {}

    static LoginCommand parse(HttpRequest request) {
        String appId = request.pathParameter("appId");
        ObjectNode body = request.jsonBody();
        String deviceId = deviceId(body.get("device_id"));
        var replacing = request.bearer();
        if (body.has("identity_token")) {
            JsonNode token = body.get("identity_token");
            if (!token.isTextual()) {
                throw Problem.token(TokenFailureCause.MALFORMED).reject();
            }
            return new LoginCommand.IdentitiesLogin(appId, deviceId, replacing, token.asText(), body.get("config"), expected(body.get("expected")));
        }
        if (body.has("external_id") || body.has("jwt")) {
            return new LoginCommand.ExternalIdLogin(appId, deviceId, replacing, body.get("external_id"), Json.text(body, "jwt"));
        }
        if (body.has("user")) {
            return new LoginCommand.UserIdLogin(appId, deviceId, replacing, body.get("user"));
        }
        throw Problem.withErrors(Reason.FIELD_INVALID, Map.of("identity_token", ErrorCode.MISSING.name())).reject();
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
