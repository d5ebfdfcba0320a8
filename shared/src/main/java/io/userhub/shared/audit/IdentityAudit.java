package io.userhub.shared.audit;

import io.userhub.shared.identity.IdentityResolution.Conflict;
import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.identity.IdentityResolution.Plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The records of what a login or an identity addition did to identities: one per move and one per conflict. */
public final class IdentityAudit {
    private IdentityAudit() {}

    /**
     * @param causeId the id of the login record (or of the addition) that caused them, so the feed ties them together;
     *                each record's id is the cause's and its place, so a retried write replaces rather than repeats them
     */
    public static List<AuditRecord> changes(String appId, String domainId, Plan plan, Instant at, String causeId) {
        List<AuditRecord> records = new ArrayList<>();
        for (Move move : plan.moves()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("identifier", move.identity().identifier());
            details.put("value_sha256", AuditRecord.valueDigest(move.identity().normalizedValue()));
            details.put("from_user_id", move.from().userId());
            details.put("to_user_id", plan.userId());
            details.put("cause_id", causeId);
            records.add(new AuditRecord(appId, domainId, AuditKind.IDENTITY_MOVED, at, idFor(causeId, records.size()), plan.userId(), details, 1));
        }
        for (Conflict conflict : plan.conflicts()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("identifier", conflict.identity().identifier());
            details.put("value_sha256", AuditRecord.valueDigest(conflict.identity().normalizedValue()));
            details.put("owner_user_id", conflict.ownerUserId());
            details.put("asserted_for_user_id", plan.userId());
            details.put("cause_id", causeId);
            records.add(new AuditRecord(appId, domainId, AuditKind.IDENTITY_CONFLICT, at, idFor(causeId, records.size()), plan.userId(), details, 1));
        }
        return records;
    }

    private static String idFor(String causeId, int place) {
        return causeId + String.format("%02x", place + 1);
    }
}
