package io.userhub.shared.audit;

import io.userhub.shared.crypto.Hashing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One audit record: what happened in an app, to whom, and how. Details hold only strings, numbers
 * and booleans, and never a secret or a raw identity value: identities appear as their identifier
 * and the SHA-256 of the normalised value ({@link #valueDigest}), the same digest their claim's key has.
 *
 * @param id     unique within its app and kind; a record written again under the same id replaces itself
 * @param userId the person the record is about, null for app-level records (keys, settings, most refusals)
 * @param count  how many events the record stands for (refused logins are counted per minute); 1 otherwise
 */
public record AuditRecord(String appId, String domainId, AuditKind kind, Instant at, String id, String userId,
                          Map<String, Object> details, long count) {

    public AuditRecord {
        Objects.requireNonNull(appId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(at);
        Objects.requireNonNull(id);
        details = Map.copyOf(details);
        for (Object value : details.values()) {
            if (!(value instanceof String || value instanceof Long || value instanceof Integer || value instanceof Boolean)) {
                throw new IllegalArgumentException("audit details hold strings, numbers and booleans only: " + value);
            }
        }
    }

    public static AuditRecord of(String appId, String domainId, AuditKind kind, Instant at, String userId, Map<String, Object> details) {
        return new AuditRecord(appId, domainId, kind, at, newId(), userId, details, 1);
    }

    /** 64 random bits, hex: ids only need to be unique within an app, a kind and a millisecond. */
    public static String newId() {
        return Hashing.randomId().substring(0, 16);
    }

    /** What an identity value is recorded as. */
    public static String valueDigest(String normalizedValue) {
        return Hashing.sha256Hex(normalizedValue);
    }

    public AuditRecord withDetail(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(name, value);
        return new AuditRecord(appId, domainId, kind, at, id, userId, more, count);
    }

    public AuditRecord withCount(long newCount) {
        return new AuditRecord(appId, domainId, kind, at, id, userId, details, newCount);
    }
}
