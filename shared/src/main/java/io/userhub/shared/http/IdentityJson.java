package io.userhub.shared.http;

import io.userhub.shared.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.model.Identity;

import java.util.List;

/** How identities appear in every client-facing response: identifier, value, and metadata when there is any. */
public final class IdentityJson {
    private IdentityJson() {}

    public static void write(ArrayNode target, List<Identity> identities) {
        for (Identity identity : identities) {
            ObjectNode node = target.addObject().put("identifier", identity.identifier()).put("value", identity.value());
            if (!identity.metadata().isEmpty()) {
                node.set("metadata", Json.MAPPER.valueToTree(identity.metadata()));
            }
        }
    }
}
