package io.userhub.shared.audit;

import io.userhub.shared.event.DomainEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping from what happened to what the audit trail says: each domain event's record.
 * Records of one cause share its id as a prefix ({@code <cause><place>}), so a retried write
 * replaces rather than repeats them. Refused logins are not mapped one by one: {@link AuditWriter}
 * counts them per minute.
 */
public final class AuditRecords {
    private AuditRecords() {}

    public static List<AuditRecord> of(List<DomainEvent> events) {
        return events.stream().filter(AuditRecords::isRecordedOnItsOwn).map(AuditRecords::of).toList();
    }

    /**
     * Whether an event becomes a record of its own. Refused logins are counted per reason and
     * minute instead ({@link RefusalTally}). A logout is an event for subscribers but no record:
     * the device's item says it, and a record per logout would double what a logout costs.
     */
    public static boolean isRecordedOnItsOwn(DomainEvent event) {
        return !(event instanceof DomainEvent.LoginRefused)
                && !(event instanceof DomainEvent.SessionsEnded ended && ended.cause() == DomainEvent.SessionsEnded.Cause.LOGOUT);
    }

    public static AuditRecord of(DomainEvent event) {
        if (event instanceof DomainEvent.LoginAccepted login) {
            Map<String, Object> details = new LinkedHashMap<>(login.facts());
            details.put("outcome", "accepted");
            details.put("new_user", login.newUser());
            return new AuditRecord(login.appId(), login.domainId(), AuditKind.LOGIN, login.at(), login.loginId(), login.userId(), details, 1);
        }
        if (event instanceof DomainEvent.IdentityMoved moved) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("identifier", moved.identity().identifier());
            details.put("value_sha256", AuditRecord.valueDigest(moved.identity().normalizedValue()));
            details.put("from_user_id", moved.fromUserId());
            details.put("to_user_id", moved.toUserId());
            details.put("cause_id", moved.causeId());
            return new AuditRecord(moved.appId(), moved.domainId(), AuditKind.IDENTITY_MOVED, moved.at(),
                    placeId(moved.causeId(), moved.place()), moved.toUserId(), details, 1);
        }
        if (event instanceof DomainEvent.IdentityConflict conflict) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("identifier", conflict.identity().identifier());
            details.put("value_sha256", AuditRecord.valueDigest(conflict.identity().normalizedValue()));
            details.put("owner_user_id", conflict.ownerUserId());
            details.put("asserted_for_user_id", conflict.assertedForUserId());
            details.put("cause_id", conflict.causeId());
            return new AuditRecord(conflict.appId(), conflict.domainId(), AuditKind.IDENTITY_CONFLICT, conflict.at(),
                    placeId(conflict.causeId(), conflict.place()), conflict.assertedForUserId(), details, 1);
        }
        if (event instanceof DomainEvent.UsersMerged merged) {
            return new AuditRecord(merged.appId(), merged.domainId(), AuditKind.MERGE, merged.at(), merged.causeId() + "00",
                    merged.toUserId(), Map.of("from_user_id", merged.fromUserId(), "to_user_id", merged.toUserId(),
                    "cause_id", merged.causeId()), 1);
        }
        if (event instanceof DomainEvent.UserUnmerged unmerged) {
            return AuditRecord.of(unmerged.appId(), unmerged.domainId(), AuditKind.UNMERGE, unmerged.at(), unmerged.userId(), unmerged.facts());
        }
        if (event instanceof DomainEvent.UserErased erased) {
            return AuditRecord.of(erased.appId(), erased.domainId(), AuditKind.USER_ERASED, erased.at(), erased.userId(), erased.facts());
        }
        if (event instanceof DomainEvent.SessionsEnded ended) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("cause", ended.cause().wireName());
            details.put("count", ended.count());
            return AuditRecord.of(ended.appId(), ended.domainId(), AuditKind.SESSIONS_ENDED, ended.at(), ended.userId(), details);
        }
        if (event instanceof DomainEvent.SettingsChanged changed) {
            return AuditRecord.of(changed.appId(), changed.domainId(), AuditKind.SETTINGS_CHANGED, changed.at(), null, changed.facts());
        }
        if (event instanceof DomainEvent.KeyChanged changed) {
            return AuditRecord.of(changed.appId(), changed.domainId(), AuditKind.KEY_CHANGED, changed.at(), null, changed.facts());
        }
        throw new IllegalArgumentException("not recorded on its own: " + event);
    }

    private static String placeId(String causeId, int place) {
        return causeId + String.format("%02x", place + 1);
    }
}
