package io.userhub.testkit;

import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.audit.AuditRecords;
import io.userhub.shared.audit.AuditSink;
import io.userhub.shared.identity.IdentityResolution.Move;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.store.Commit;
import io.userhub.shared.store.Guard;
import io.userhub.shared.store.Keys;
import io.userhub.shared.store.LoginStore;
import io.userhub.shared.store.UserStore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link LoginStore} in memory, for unit tests of the login and identity rules: every
 * condition DynamoLoginStore writes (claims unique and moved only from where they were read, the
 * device's version, a live profile that still holds the identities a login keeps, single-use jtis,
 * sticky pins, a new session key) is checked here under one lock, all or nothing. It keeps what
 * logins read back; attribute data (and what MERGE carries) is not modelled.
 */
public final class InMemoryLoginStore implements LoginStore {
    private static final class StoredProfile {
        final String userId;
        final boolean anonymous;
        String displayName;
        final Map<String, StoredIdentity> identities = new LinkedHashMap<>();
        final Map<String, String> fields = new HashMap<>();
        final Set<String> pinnedApps = new HashSet<>();
        String mergedInto;
        boolean erased;

        StoredProfile(String userId, boolean anonymous, String displayName) {
            this.userId = userId;
            this.anonymous = anonymous;
            this.displayName = displayName;
        }
    }

    private final Map<String, Claim> claims = new HashMap<>();
    private final Map<String, StoredProfile> profiles = new HashMap<>();
    private final Map<String, DeviceState> devices = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Long> jtis = new HashMap<>();
    private final Map<String, String> pins = new HashMap<>();
    /** Audit records by app, kind, time and id: a record written again under its id replaces itself, as in the table. */
    private final Map<String, AuditRecord> audit = new java.util.TreeMap<>();
    private Runnable beforeNextCommit = () -> { };
    private int sessionOnlyCommits;
    private int transactionalCommits;

    /** The audit records written so far, oldest first. */
    public synchronized List<AuditRecord> auditRecords() {
        return List.copyOf(audit.values().stream().sorted(java.util.Comparator.comparing(AuditRecord::at)).toList());
    }

    /** Where the audit writer's records go (those written after an outcome), so they land beside the store's. */
    public AuditSink auditSink() {
        return this::recordAudit;
    }

    /** The audit writer a use case on this store publishes its events to (writing at once, on the caller's thread). */
    public io.userhub.shared.audit.AuditWriter auditWriter() {
        return new io.userhub.shared.audit.AuditWriter(auditSink(), Runnable::run);
    }

    private synchronized void recordAudit(List<AuditRecord> records) {
        records.forEach(r -> audit.put(r.appId() + "|" + r.kind() + "|" + String.format("%013d", r.at().toEpochMilli()) + "|" + r.id(), r));
    }

    /** Runs once, just before the next commit is checked: a concurrent writer getting there first. */
    public synchronized void beforeNextCommit(Runnable action) {
        this.beforeNextCommit = action;
    }

    /** Marks a profile as being erased (the tombstone erase sets first). */
    public synchronized void tombstone(String domainId, String userId) {
        Optional.ofNullable(profiles.get(profileKey(domainId, userId))).ifPresent(p -> p.erased = true);
    }

    /** Committed logins that wrote only their device's item (DynamoDB: one UpdateItem), and those that needed a transaction. */
    public synchronized int[] commitsBySessionOnlyAndTransactional() {
        return new int[] {sessionOnlyCommits, transactionalCommits};
    }

    /** The sessions, by the key of their device's item (what a test checks for one session per device). */
    public synchronized Map<String, Session> sessions() {
        return Map.copyOf(sessions);
    }

    @Override
    public synchronized LoginState readLoginState(String domainId, String appId, List<Identity> identities, String deviceId, String pinUserId) {
        return new LoginState(claimsOf(domainId, identities),
                devices.getOrDefault(Keys.deviceSession(appId, deviceId), DeviceState.absent()),
                pinUserId == null ? Optional.empty() : Optional.ofNullable(pins.get(Keys.pin(appId, pinUserId))));
    }

    @Override
    public synchronized LoginState readClaims(String domainId, List<Identity> identities) {
        return new LoginState(claimsOf(domainId, identities), DeviceState.absent(), Optional.empty());
    }

    private Map<String, Claim> claimsOf(String domainId, List<Identity> identities) {
        Map<String, Claim> found = new HashMap<>();
        for (Identity identity : identities) {
            Optional.ofNullable(claims.get(Keys.claim(domainId, identity))).ifPresent(c -> found.put(identity.profileKey(), c));
        }
        return found;
    }

    @Override
    public synchronized Optional<Profile> findProfile(String domainId, String userId) {
        return Optional.ofNullable(profiles.get(profileKey(domainId, userId)))
                .map(p -> new Profile(p.userId, p.anonymous, p.displayName, List.copyOf(p.identities.values()), p.mergedInto));
    }

    @Override
    public synchronized Optional<UserStore.MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId) {
        return Optional.ofNullable(profiles.get(profileKey(domainId, anonymousUserId)))
                .filter(p -> p.anonymous && p.mergedInto == null && !p.erased)
                .map(p -> new UserStore.MergeableAnonymous(anonymousUserId, Map.of(), List.of()));
    }

    @Override
    public synchronized Commit commitLogin(LoginWrite write) {
        runConcurrentWriter();
        String domain = write.domainId();
        String deviceKey = write.sessionKey().key();
        DeviceState device = devices.get(deviceKey);
        if (write.replacesSessionOnly()) {
            // One conditional write of the device's item, as DynamoLoginStore does it: it carries no audit record.
            if (device == null || !device.ownedBy(write.userId())) {
                return new Commit.Refused(Set.of(Guard.PROFILE), false);
            }
            if (device.version() != write.device().version()) {
                return new Commit.Refused(Set.of(Guard.DEVICE), false);
            }
            installSession(write, deviceKey);
            sessionOnlyCommits++;
            return Commit.COMMITTED_WITHOUT_RECORDS;
        }
        Set<Guard> failed = EnumSet.noneOf(Guard.class);
        StoredProfile profile = profiles.get(profileKey(domain, write.userId()));
        if (write.profile() instanceof ProfileWrite.Create create) {
            if (profile != null) {
                failed.add(create.anonymous() ? Guard.PROFILE : Guard.CLAIM);
            }
        } else if (write.profile() instanceof ProfileWrite.Update || write.profile() instanceof ProfileWrite.Unchanged) {
            boolean keptStillThere = write.plan().kept().stream().allMatch(i -> profile != null && profile.identities.containsKey(i.profileKey()));
            if (!live(profile) || !keptStillThere) {
                failed.add(Guard.PROFILE);
            }
        } else if (!live(profile) || profile.mergedInto != null) {
            failed.add(Guard.PROFILE);
        }
        if (write.plan() != null) {
            checkClaims(domain, write.plan(), false, failed);
        }
        write.merged().ifPresent(anon -> {
            StoredProfile merged = profiles.get(profileKey(domain, anon.userId()));
            if (!live(merged) || merged.mergedInto != null) {
                failed.add(Guard.NONE);
            }
        });
        if (write.device().exists() ? device == null || device.version() != write.device().version() : device != null) {
            failed.add(Guard.DEVICE);
        }
        if (write.jti().filter(jti -> jtiInUse(write.appId(), jti, write.now())).isPresent()) {
            failed.add(Guard.JTI);
        }
        write.pin().ifPresent(pin -> {
            String pinned = pins.get(Keys.pin(write.appId(), pin.userIdValue()));
            if (pinned != null && !pinned.equals(pin.pinHash())) {
                failed.add(Guard.PIN);
            }
        });
        if (!failed.isEmpty()) {
            return new Commit.Refused(failed, false);
        }

        if (write.profile() instanceof ProfileWrite.Create create) {
            StoredProfile target = new StoredProfile(write.userId(), create.anonymous(), create.displayName());
            create.identities().forEach(i -> target.identities.put(i.identity().profileKey(), i));
            target.fields.putAll(create.fields());
            if (create.pinned()) {
                target.pinnedApps.add(write.appId());
            }
            profiles.put(profileKey(domain, write.userId()), target);
        } else if (write.profile() instanceof ProfileWrite.Update update) {
            update.assigned().forEach(i -> profile.identities.put(i.identity().profileKey(), i));
            profile.fields.putAll(update.fields());
            if (update.pinned()) {
                profile.pinnedApps.add(write.appId());
            }
            if (update.displayName() != null) {
                profile.displayName = update.displayName();
            }
        }
        if (write.plan() != null) {
            applyClaims(domain, write.plan(), write.assertedAt());
        }
        write.merged().ifPresent(anon -> profiles.get(profileKey(domain, anon.userId())).mergedInto = write.userId());
        installSession(write, deviceKey);
        transactionalCommits++;
        write.jti().ifPresent(jti -> jtis.put(Keys.jti(write.appId(), jti.jti()), jti.expiresAt()));
        write.pin().ifPresent(pin -> pins.put(Keys.pin(write.appId(), pin.userIdValue()), pin.pinHash()));
        recordAudit(AuditRecords.of(write.events()));
        return Commit.COMMITTED;
    }

    /** The device's item takes the new session, replacing the one it held. */
    private void installSession(LoginWrite write, String deviceKey) {
        devices.put(deviceKey, new DeviceState(true, write.device().version() + 1, write.anonymousUserId(), write.userId(),
                write.loginDigest()));
        sessions.put(deviceKey, write.session());
    }

    @Override
    public synchronized Commit commitIdentityAddition(String domainId, String appId, String userId, List<StoredIdentity> assigned,
                                                      Plan plan, long assertedAt, Optional<UsedJti> jti, long now,
                                                      String additionId, List<io.userhub.shared.event.DomainEvent> events) {
        runConcurrentWriter();
        Set<Guard> failed = EnumSet.noneOf(Guard.class);
        StoredProfile profile = profiles.get(profileKey(domainId, userId));
        if (!live(profile)) {
            failed.add(Guard.PROFILE);
        }
        checkClaims(domainId, plan, true, failed);
        if (jti.filter(j -> jtiInUse(appId, j, now)).isPresent()) {
            failed.add(Guard.JTI);
        }
        if (!failed.isEmpty()) {
            return new Commit.Refused(failed, false);
        }
        assigned.forEach(i -> profile.identities.put(i.identity().profileKey(), i));
        applyClaims(domainId, plan, assertedAt);
        jti.ifPresent(j -> jtis.put(Keys.jti(appId, j.jti()), j.expiresAt()));
        recordAudit(AuditRecords.of(events));
        return Commit.COMMITTED;
    }

    /** Used and not yet expired: an expired record that TTL has not deleted is reusable, as in DynamoDB. */
    private boolean jtiInUse(String appId, UsedJti jti, long now) {
        Long until = jtis.get(Keys.jti(appId, jti.jti()));
        return until != null && until >= now;
    }

    private void runConcurrentWriter() {
        Runnable action = beforeNextCommit;
        beforeNextCommit = () -> { };
        action.run();
    }

    private void checkClaims(String domain, Plan plan, boolean checkKept, Set<Guard> failed) {
        for (Identity identity : plan.toClaim()) {
            if (claims.containsKey(Keys.claim(domain, identity))) {
                failed.add(Guard.CLAIM);
            }
        }
        if (checkKept) {
            for (Identity identity : plan.kept()) {
                Claim claim = claims.get(Keys.claim(domain, identity));
                if (claim == null || !claim.userId().equals(plan.userId())) {
                    failed.add(Guard.CLAIM);
                }
            }
        }
        for (Move move : plan.moves()) {
            Claim claim = claims.get(Keys.claim(domain, move.identity()));
            if (claim == null || !claim.equals(move.from()) || !live(profiles.get(profileKey(domain, move.from().userId())))) {
                failed.add(Guard.CLAIM);
            }
        }
    }

    private void applyClaims(String domain, Plan plan, long assertedAt) {
        plan.toClaim().forEach(i -> claims.put(Keys.claim(domain, i), new Claim(plan.userId(), assertedAt)));
        for (Move move : plan.moves()) {
            claims.put(Keys.claim(domain, move.identity()), new Claim(plan.userId(), assertedAt));
            profiles.get(profileKey(domain, move.from().userId())).identities.remove(move.identity().profileKey());
        }
    }

    private static boolean live(StoredProfile profile) {
        return profile != null && !profile.erased;
    }

    private static String profileKey(String domainId, String userId) {
        return Keys.profile(domainId, userId);
    }

    /** The users whose profiles list the identity: a test's check that an identity is on one profile only. */
    public synchronized List<String> profilesHolding(String domainId, Identity identity) {
        List<String> holders = new ArrayList<>();
        profiles.forEach((key, p) -> {
            if (key.startsWith(Keys.profile(domainId, "")) && p.identities.containsKey(identity.profileKey())) {
                holders.add(p.userId);
            }
        });
        return holders;
    }
}
