package io.userhub.functions.users;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identifiers;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.model.SessionState;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.model.UserDetails;
import io.userhub.shared.port.Sessions;
import io.userhub.shared.port.UserAdministration;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a customer's backend does with one user: look up by any identity, end all sessions, erase. */
public final class UserAdminUseCase {
    private final UserAdministration users;
    private final Sessions sessions;
    private final Clock clock;
    private final java.time.Duration erasedIdentityRetention;
    private final io.userhub.shared.port.AuditQueries audit;
    private final io.userhub.shared.event.EventSubscriber events;

    /**
     * @param erasedIdentityRetention how long an erase keeps the digests of the identities it released
     * @param events                  where what it did goes (the audit writer records an erase and the
     *                                sessions it ended before the answer)
     */
    public UserAdminUseCase(UserAdministration users, Sessions sessions, io.userhub.shared.port.AuditQueries audit,
                            io.userhub.shared.event.EventSubscriber events, Clock clock, java.time.Duration erasedIdentityRetention) {
        this.users = users;
        this.sessions = sessions;
        this.clock = clock;
        this.erasedIdentityRetention = erasedIdentityRetention;
        this.audit = audit;
        this.events = events;
    }

    /** Finds the user an identity belongs to; the same validation as identities in tokens. */
    public String resolve(AppConfig app, String identifier, String value) {
        if (identifier == null || value == null) {
            throw Problem.withErrors(Reason.FIELD_INVALID, Map.of(identifier == null ? "identifier" : "value", ErrorCode.MISSING.name())).reject();
        }
        if (identifier.equals("user_id")) {
            return requireUserId(value);
        }
        if (!Identifiers.isSupported(identifier) && !Identity.UNVERIFIED_UID.equals(identifier)) {
            throw Problem.withErrors(Reason.FIELD_INVALID, Map.of("identifier", ErrorCode.UNSUPPORTED_IDENTIFIER.name())).reject();
        }
        ErrorCode error = IdentityRules.valueError(identifier, value, List.of());
        if (error != null) {
            throw Problem.withErrors(Reason.FIELD_INVALID, Map.of("value", error.name())).reject();
        }
        return users.findClaim(app.domainId(), new Identity(identifier, value, Map.of()))
                .map(claim -> claim.userId())
                .orElseThrow(() -> Problem.of(Reason.USER_NOT_FOUND).reject());
    }

    /**
     * A profile, its data in the asking app, and its live sessions in every app of the domain.
     *
     * @param lastLoginAt epoch seconds of the latest login the profile or a device of the user knows of, null if none
     */
    public record UserLookup(UserDetails user, UserDetails.AppData app, List<Session> sessions, Map<String, SessionState> states,
                             Long lastLoginAt) {}

    public UserLookup lookup(AppConfig app, String userId) {
        requireUserId(userId);
        // One Query of the partition: the profile and the app's item, no second read.
        UserDetails.Partition partition = users.readPartition(app.domainId(), userId)
                .orElseThrow(() -> Problem.of(Reason.USER_NOT_FOUND).reject());
        Instant now = clock.instant();
        List<Session> live = new ArrayList<>();
        Map<String, SessionState> states = new LinkedHashMap<>();
        List<Sessions.KeyedSession> kept = sessions.sessionsOfUser(partition.sessionKeys(), userId);
        for (Sessions.KeyedSession s : kept) {
            SessionRecord record = s.record();
            if (record.state().live() && record.session().expiresAt() != null && record.session().expiresAt().isAfter(now)) {
                live.add(record.session());
                states.put(record.session().sessionId(), record.state());
            }
        }
        return new UserLookup(partition.profile(), partition.appData().getOrDefault(app.appId(), UserDetails.AppData.NONE), live, states,
                lastLogin(partition.profile(), kept));
    }

    /**
     * Everything userhub holds about a person (GDPR access): the profile with its identities and
     * their history, the person's data in every app of the domain, and every session still kept
     * (live, logged out or expired; never a token or its hash), and the audit records about the person.
     */
    public record UserExport(UserDetails user, Map<String, UserDetails.AppData> apps, List<SessionRecord> sessions, Long lastLoginAt,
                             List<io.userhub.shared.audit.AuditRecord> audit) {}

    public UserExport export(AppConfig app, String userId) {
        requireUserId(userId);
        UserDetails.Partition partition = users.readPartition(app.domainId(), userId)
                .orElseThrow(() -> Problem.of(Reason.USER_NOT_FOUND).reject());
        List<Sessions.KeyedSession> kept = sessions.sessionsOfUser(partition.sessionKeys(), userId);
        return new UserExport(partition.profile(), new java.util.TreeMap<>(partition.appData()),
                kept.stream().map(Sessions.KeyedSession::record).toList(), lastLogin(partition.profile(), kept),
                audit.allUserRecords(app.domainId(), userId));
    }

    /** A returning login writes only its device's item, so the latest session start is the last login. */
    private static Long lastLogin(UserDetails profile, List<Sessions.KeyedSession> sessions) {
        Long last = profile.lastLoginAt();
        for (Sessions.KeyedSession s : sessions) {
            if (s.record().session().createdAt() != null) {
                last = Math.max(last == null ? 0 : last, s.record().session().createdAt().getEpochSecond());
            }
        }
        return last;
    }

    /** Ends every live session of the person, in every app of the domain. */
    public int endSessions(AppConfig app, String userId) {
        requireUserId(userId);
        UserDetails.Partition partition = users.readPartition(app.domainId(), userId)
                .orElseThrow(() -> Problem.of(Reason.USER_NOT_FOUND).reject());
        Instant now = clock.instant();
        int ended = 0;
        for (Sessions.KeyedSession s : sessions.sessionsOfUser(partition.sessionKeys(), userId)) {
            if (s.record().state() != io.userhub.shared.model.SessionState.LOGGED_OUT && sessions.endSessionOfUser(s.key(), userId, now)) {
                ended++;
            }
        }
        if (ended > 0) {
            events.on(io.userhub.shared.event.EventBatch.of(new io.userhub.shared.event.DomainEvent.SessionsEnded(
                    app.appId(), app.domainId(), now, userId, ended, io.userhub.shared.event.DomainEvent.SessionsEnded.Cause.END_SESSIONS)));
        }
        return ended;
    }

    /**
     * Erases a person, linearizably against logins and session routes: first a tombstone on the
     * profile, which every login, identity addition and attribute write onto it checks in its own
     * conditional write, so none commits after it; then one strongly consistent Query of the
     * user's partition finds the pointer to every device item a login gave the user before it
     * (a returning login that only replaces its session fails once the item is gone), and those sessions, the identity claims still theirs, the
     * security-hash pins, the app items and the profile go, profile last, so that a failure
     * half-way can be retried. A later login with the same uid creates a new profile.
     */
    public Map<String, Integer> erase(AppConfig app, String userId) {
        requireUserId(userId);
        String domain = app.domainId();
        if (!users.tombstone(domain, userId, clock.instant().getEpochSecond())) {
            throw Problem.of(Reason.USER_NOT_FOUND).reject();
        }
        UserDetails.Partition partition = users.readPartition(domain, userId)
                .orElseThrow(() -> Problem.of(Reason.USER_NOT_FOUND).reject());
        Map<String, Integer> deleted = new LinkedHashMap<>();
        Set<String> sessionKeys = new LinkedHashSet<>(partition.sessionKeys());
        // A pointer may name a device's item that a later login gave to someone else: that one stays.
        deleted.put("sessions", (int) sessionKeys.stream().filter(key -> sessions.deleteSessionOfUser(key, userId)).count());
        int claims = 0;
        Optional<String> uid = Optional.empty();
        for (StoredIdentity stored : partition.profile().identities()) {
            Identity identity = stored.identity();
            if (identity.isUid()) {
                uid = Optional.of(identity.value());
            }
            if (users.releaseClaim(domain, identity, userId)) {
                claims++;
                // The digest stays a while (not the value): an import of stale data can then say it was erased.
                long now = clock.instant().getEpochSecond();
                users.leaveErasedTombstone(domain, identity, now, now + erasedIdentityRetention.toSeconds());
            }
        }
        deleted.put("identities", claims);
        int pins = 0;
        if (uid.isPresent()) {
            for (String pinnedApp : partition.profile().pinnedApps()) {
                if (users.deletePin(pinnedApp, uid.get(), userId)) {
                    pins++;
                }
            }
        }
        deleted.put("security_hash_pins", pins);
        int appItems = (int) partition.appDataSortKeys().stream().filter(sortKey -> users.deletePartitionItem(domain, userId, sortKey)).count();
        // The partition's other items go too (merge lineages, which hold identity values).
        partition.otherSortKeys().forEach(sortKey -> users.deletePartitionItem(domain, userId, sortKey));
        partition.sessionPointerSortKeys().forEach(sortKey -> users.deletePartitionItem(domain, userId, sortKey));
        deleted.put("app_data", appItems);
        deleted.put("profile", users.deleteProfile(domain, userId) ? 1 : 0);
        // The person's audit records stay until their retention ends: they hold digests, never values.
        Map<String, Object> details = new LinkedHashMap<>();
        deleted.forEach((what, count) -> details.put(what, count));
        // The audit writer writes an erase's records before the erase answers.
        List<io.userhub.shared.event.DomainEvent> erased = new ArrayList<>();
        Instant at = clock.instant();
        if (deleted.get("sessions") > 0) {
            erased.add(new io.userhub.shared.event.DomainEvent.SessionsEnded(app.appId(), domain, at, userId, deleted.get("sessions"),
                    io.userhub.shared.event.DomainEvent.SessionsEnded.Cause.ERASE));
        }
        erased.add(new io.userhub.shared.event.DomainEvent.UserErased(app.appId(), domain, at, userId, details));
        events.on(new io.userhub.shared.event.EventBatch(erased, false));
        return deleted;
    }

    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[a-f0-9]{32}");

    /** userhub's user ids are 128-bit hex; anything else names nobody (and is never sent to DynamoDB). */
    /** The rule for a user id in a path: userhub's own ids only. */
    public static String requireUserId(String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw Problem.of(Reason.USER_NOT_FOUND).reject();
        }
        return userId;
    }
}
