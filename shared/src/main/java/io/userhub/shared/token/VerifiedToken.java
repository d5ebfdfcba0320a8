package io.userhub.shared.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A token whose structure, header and signature have been checked; claims are not yet judged. */
public record VerifiedToken(String kid, ObjectNode header, ObjectNode payload) {

    /** Whether a claim is present and not JSON null. */
    public boolean has(String claim) {
        JsonNode node = payload.get(claim);
        return node != null && !node.isNull();
    }

    public Long iat() {
        return numeric("iat");
    }

    public Long exp() {
        return numeric("exp");
    }

    public Long nbf() {
        return numeric("nbf");
    }

    /** The token's jti, when it carries one: then it is single-use (SPEC section 3). */
    public String jti() {
        JsonNode jti = payload.get("jti");
        return jti != null && jti.isTextual() && !jti.asText().isEmpty() ? jti.asText() : null;
    }

    private Long numeric(String claim) {
        JsonNode node = payload.get(claim);
        if (node == null || node.isNull()) {
            return null;
        }
        // A decimal string reaches here only where the verifier admitted it (Sunshine compatibility's exp).
        return node.isTextual() ? Long.valueOf(node.asText()) : Long.valueOf(node.asLong());
    }
}
