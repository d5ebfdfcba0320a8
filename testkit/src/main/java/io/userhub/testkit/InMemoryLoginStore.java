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
import io.userhub.shared.port.Commit;
import io.userhub.shared.port.Guard;
import io.userhub.shared.store.Keys;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.port.LoginStore;
import io.userhub.shared.identity.MergePolicy;
import io.userhub.shared.identity.MergePolicy.Carried;
import io.userhub.shared.model.AttributeChanges;
import io.userhub.shared.port.AttributeWriter;
import io.userhub.shared.port.MergeLineages;
import io.userhub.shared.identity.CarriedAttributes;
import io.userhub.shared.validation.TagCap;

import java.util.ArrayList;
import java.util.EnumMap;
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
 * logins read back, and attribute data as the {@link AttributeWriter} port writes it (per key, the
 * tag cap of {@link TagCap}), so a MERGE carries what {@link MergePolicy} says, as in DynamoDB.
 */
public final class InMemoryLoginStore implements LoginStore, AttributeWriter, MergeLineages, io.userhub.shared.port.UserImports {
    private static final class StoredProfile {
        final String userId;
        final boolean anonymous;
        String displayName;
        final Map<String, StoredIdentity> identities = new LinkedHashMap<>();
        final Map<String, String> fields = new HashMap<>();
        final Set<String> pinnedApps = new HashSet<>();
        String mergedInto;
        boolean erased;
        /** The profile-wide attribute groups (global attributes, global custom fields, tags: key to true). */
        final Map<Carried, Map<String, Object>> groups = new EnumMap<>(Carried.class);
        /** Per app id, the app's attribute groups. */
        final Map<String, Map<Carried, Map<String, Object>>> apps = new HashMap<>();

        Map<String, Object> group(Carried group) {
            return groups.computeIfAbsent(group, g -> new LinkedHashMap<>());
        }

        Map<String, Object> appGroup(String appId, Carried group) {
            return apps.computeIfAbsent(appId, a -> new EnumMap<>(Carried.class)).computeIfAbsent(group, g -> new LinkedHashMap<>());
        }

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
    /** Until when an anonymous profile lives (DynamoDB: its TTL), by profile key. */
    private final Map<String, Long> expiries = new HashMap<>();
    /** New anonymous devices per app, source IP digest and hour (DynamoDB: the allowance items). */
    private final Map<String, Integer> newDevicesByIpHour = new HashMap<>();
    /** Erased identities' tombstones by claim key: when erased, and until when the tombstone is kept. */
    private final Map<String, long[]> erasedIdentities = new HashMap<>();
    /** What merges left to be undone, by the receiving user's profile key and the merge id. */
    private final Map<String, Lineage> lineages = new HashMap<>();
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
                devices.getOrDefault(SessionStore.deviceKey(appId, deviceId), DeviceState.absent()),
                pinUserId == null ? Optional.empty() : Optional.ofNullable(pins.get(io.userhub.shared.store.PinItem.partition(appId, pinUserId))));
    }

    @Override
    public synchronized LoginState readClaims(String domainId, List<Identity> identities) {
        return new LoginState(claimsOf(domainId, identities), DeviceState.absent(), Optional.empty());
    }

    private Map<String, Claim> claimsOf(String domainId, List<Identity> identities) {
        Map<String, Claim> found = new HashMap<>();
        for (Identity identity : identities) {
            Optional.ofNullable(claims.get(claimKey(domainId, identity))).ifPresent(c -> found.put(identity.profileKey(), c));
        }
        return found;
    }

    @Override
    public synchronized Optional<Profile> findProfile(String domainId, String userId) {
        return Optional.ofNullable(profiles.get(profileKey(domainId, userId)))
                .map(p -> new Profile(p.userId, p.anonymous, p.displayName, List.copyOf(p.identities.values()), p.mergedInto));
    }

    @Override
    public synchronized Optional<LoginStore.MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId) {
        return Optional.ofNullable(profiles.get(profileKey(domainId, anonymousUserId)))
                .filter(p -> p.anonymous && p.mergedInto == null && !p.erased)
                .map(p -> {
                    Map<String, Map<Carried, Map<String, Object>>> apps = new HashMap<>();
                    p.apps.forEach((appId, groups) -> apps.put(appId, copy(groups)));
                    return new LoginStore.MergeableAnonymous(anonymousUserId, copy(p.groups), apps);
                });
    }

    private static Map<Carried, Map<String, Object>> copy(Map<Carried, Map<String, Object>> groups) {
        Map<Carried, Map<String, Object>> copy = new EnumMap<>(Carried.class);
        groups.forEach((group, values) -> copy.put(group, Map.copyOf(values)));
        return copy;
    }

    /** The MERGE policy as the in-memory store carries it out: the anonymous values fill the keys the profile lacks. */
    /** Fills in what the receiving user lacks, and returns what it filled in (what the merge's lineage keeps). */
    private static CarriedAttributes carry(LoginStore.MergeableAnonymous anonymous, StoredProfile into) {
        Map<Carried, Map<String, Object>> profile = new EnumMap<>(Carried.class);
        anonymous.profile().forEach((group, values) -> {
            Map<String, Object> filled = MergePolicy.carried(values, into.group(group));
            into.group(group).putAll(filled);
            profile.put(group, filled);
        });
        Map<String, Map<Carried, Map<String, Object>>> apps = new LinkedHashMap<>();
        anonymous.apps().forEach((appId, groups) -> groups.forEach((group, values) -> {
            Map<String, Object> filled = MergePolicy.carried(values, into.appGroup(appId, group));
            into.appGroup(appId, group).putAll(filled);
            apps.computeIfAbsent(appId, a -> new EnumMap<>(Carried.class)).put(group, filled);
        }));
        return new CarriedAttributes(profile, apps);
    }

    @Override
    public synchronized boolean apply(String domainId, String userId, String appId, AttributeChanges changes, long now,
                                      Long anonymousExpiresAt) {
        StoredProfile profile = profiles.get(profileKey(domainId, userId));
        if (!live(profile)) {
            return false;
        }
        TagCap.checkReset(changes);
        if (changes.tagsResetTo().isEmpty()) {
            TagCap.growthGiven(profile.group(Carried.TAGS).keySet(), changes);
        }
        profile.group(Carried.GLOBAL_ATTRIBUTES).putAll(changes.global());
        if (changes.global().get("display_name") instanceof String displayName) {
            profile.displayName = displayName;
        }
        profile.group(Carried.GLOBAL_CUSTOM_FIELDS).putAll(changes.globalCustomFields());
        Map<String, Object> tags = profile.group(Carried.TAGS);
        changes.tagsResetTo().ifPresentOrElse(reset -> {
            tags.clear();
            reset.forEach(tag -> tags.put(tag, true));
        }, () -> {
            changes.tagsAdded().forEach(tag -> tags.put(tag, true));
            changes.tagsRemoved().forEach(tags::remove);
        });
        if (changes.touchesApp()) {
            profile.appGroup(appId, Carried.APP_ATTRIBUTES).putAll(changes.app());
            profile.appGroup(appId, Carried.APP_CUSTOM_FIELDS).putAll(changes.appCustomFields());
        }
        return true;
    }

    /**
     * A user's attributes, flat: {@code GLOBAL_ATTRIBUTES.<key>}, {@code GLOBAL_CUSTOM_FIELDS.<key>},
     * {@code TAGS.<tag>} and {@code <app>/APP_ATTRIBUTES.<key>}, {@code <app>/APP_CUSTOM_FIELDS.<key>}.
     */
    public synchronized Map<String, Object> attributesOf(String domainId, String userId) {
        Map<String, Object> flat = new java.util.TreeMap<>();
        StoredProfile profile = profiles.get(profileKey(domainId, userId));
        if (profile != null) {
            profile.groups.forEach((group, values) -> values.forEach((k, v) -> flat.put(group + "." + k, v)));
            profile.apps.forEach((appId, groups) -> groups.forEach((group, values) ->
                    values.forEach((k, v) -> flat.put(appId + "/" + group + "." + k, v))));
        }
        return flat;
    }

    /** A profile's user-id-mode fields (the answer's {@code user.fields}), empty for none. */
    public synchronized Map<String, String> fieldsOf(String domainId, String userId) {
        StoredProfile profile = profiles.get(profileKey(domainId, userId));
        return profile == null ? Map.of() : Map.copyOf(profile.fields);
    }

    @Override
    public synchronized Commit commitLogin(LoginWrite write) {
        runConcurrentWriter();
        String domain = write.domainId();
        String deviceKey = io.userhub.shared.store.SessionStore.itemKey(write.sessionKey());
        DeviceState device = devices.get(deviceKey);
        boolean sessionOnly = write.replacesSessionOnly();
        if (sessionOnly) {
            // One conditional write of the device's item, as DynamoLoginStore does it: it carries no audit record.
            if (device == null || !device.ownedBy(write.userId())) {
                return new Commit.Refused(Set.of(Guard.PROFILE), false);
            }
            if (device.version() != write.device().version()) {
                return new Commit.Refused(Set.of(Guard.DEVICE), false);
            }
        }
        // The whole write is applied either way; a write the DynamoDB store would send as the device's
        // UpdateItem alone must change nothing else, or that single write would drop a change: it fails here.
        String before = everythingButDevices();
        Commit commit = sessionOnly ? applyWithoutChecks(write, deviceKey) : checkAndApply(write, deviceKey, device);
        if (commit instanceof Commit.Refused) {
            return commit;
        }
        boolean changedMoreThanTheDevice = !before.equals(everythingButDevices());
        if (sessionOnly && changedMoreThanTheDevice) {
            throw new IllegalStateException("a login taken as session-only changed more than its device's item: " + write);
        }
        if (sessionOnly) {
            sessionOnlyCommits++;
        } else {
            transactionalCommits++;
        }
        return sessionOnly ? Commit.COMMITTED_WITHOUT_RECORDS : commit;
    }

    /** The state a login's transaction may change besides its device's item and session, as text to compare. */
    private String everythingButDevices() {
        StringBuilder state = new StringBuilder();
        new java.util.TreeMap<>(claims).forEach((k, v) -> state.append(k).append('=').append(v).append('\n'));
        new java.util.TreeMap<>(profiles).forEach((k, p) -> state.append(k).append('=').append(p.displayName).append(p.identities)
                .append(p.fields).append(new java.util.TreeSet<>(p.pinnedApps)).append(p.mergedInto).append(p.groups).append(p.apps)
                .append(expiries.get(k)).append('\n'));
        new java.util.TreeMap<>(jtis).forEach((k, v) -> state.append(k).append('=').append(v).append('\n'));
        new java.util.TreeMap<>(pins).forEach((k, v) -> state.append(k).append('=').append(v).append('\n'));
        new java.util.TreeMap<>(newDevicesByIpHour).forEach((k, v) -> state.append(k).append('=').append(v).append('\n'));
        return state.toString();
    }

    private Commit applyWithoutChecks(LoginWrite write, String deviceKey) {
        apply(write, deviceKey, profiles.get(profileKey(write.domainId(), write.userId())));
        return Commit.COMMITTED_WITHOUT_RECORDS;
    }

    private Commit checkAndApply(LoginWrite write, String deviceKey, DeviceState device) {
        String domain = write.domainId();
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
            String pinned = pins.get(io.userhub.shared.store.PinItem.partition(write.appId(), pin.userIdValue()));
            if (pinned != null && !pinned.equals(pin.pinHash())) {
                failed.add(Guard.PIN);
            }
        });
        write.newDeviceAllowance().ifPresent(allowance -> {
            if (newDevicesByIpHour.getOrDefault(allowanceKey(write.appId(), allowance), 0) >= allowance.limit()) {
                failed.add(Guard.ALLOWANCE);
            }
        });
        if (!failed.isEmpty()) {
            return new Commit.Refused(failed, false);
        }
        apply(write, deviceKey, profile);
        recordAudit(AuditRecords.of(write.events()));
        return Commit.COMMITTED;
    }

    private static String allowanceKey(String appId, LoginStore.NewDeviceAllowance allowance) {
        return appId + "|" + allowance.sourceIpDigest() + "|" + allowance.hour();
    }

    private void apply(LoginWrite write, String deviceKey, StoredProfile profile) {
        String domain = write.domainId();
        CarriedAttributes[] filled = {CarriedAttributes.NONE};

        if (write.profile() instanceof ProfileWrite.Create create) {
            StoredProfile target = new StoredProfile(write.userId(), create.anonymous(), create.displayName());
            create.identities().forEach(i -> target.identities.put(i.identity().profileKey(), i));
            target.fields.putAll(create.fields());
            if (create.pinned()) {
                target.pinnedApps.add(write.appId());
            }
            write.merged().ifPresent(anon -> filled[0] = carry(anon, target));
            profiles.put(profileKey(domain, write.userId()), target);
        } else if (write.profile() instanceof ProfileWrite.Update update) {
            write.merged().ifPresent(anon -> filled[0] = carry(anon, profile));
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
        List<MovedIdentity> moves = write.plan() == null ? List.of() : movedBy(write.plan(), write.assertedAt());
        if (!moves.isEmpty() || write.merged().isPresent()) {
            lineages.put(lineageKey(domain, write.userId(), write.loginId()), new Lineage(write.loginId(), write.appId(), write.userId(),
                    write.now(), moves, write.merged().map(anon -> new MergedAnonymous(anon.userId(), filled[0])), null));
        }
        write.merged().ifPresent(anon -> {
            profiles.get(profileKey(domain, anon.userId())).mergedInto = write.userId();
            // A merged anonymous user stops expiring: an unmerge may bring it back.
            expiries.remove(profileKey(domain, anon.userId()));
        });
        write.anonymousExpiry().filter(expiry -> write.profile() instanceof ProfileWrite.Create || expiry.extendProfile())
                .ifPresent(expiry -> expiries.put(profileKey(domain, write.userId()), expiry.expiresAt()));
        write.newDeviceAllowance().ifPresent(allowance -> newDevicesByIpHour.merge(allowanceKey(write.appId(), allowance), 1, Integer::sum));
        installSession(write, deviceKey);
        write.jti().ifPresent(jti -> jtis.put(io.userhub.shared.store.JtiItem.partition(write.appId(), jti.jti()), jti.expiresAt()));
        write.pin().ifPresent(pin -> pins.put(io.userhub.shared.store.PinItem.partition(write.appId(), pin.userIdValue()), pin.pinHash()));
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
        if (!plan.moves().isEmpty()) {
            lineages.put(lineageKey(domainId, userId, additionId),
                    new Lineage(additionId, appId, userId, now, movedBy(plan, assertedAt), Optional.empty(), null));
        }
        jti.ifPresent(j -> jtis.put(io.userhub.shared.store.JtiItem.partition(appId, j.jti()), j.expiresAt()));
        recordAudit(AuditRecords.of(events));
        return Commit.COMMITTED;
    }

    /** Used and not yet expired: an expired record that TTL has not deleted is reusable, as in DynamoDB. */
    private boolean jtiInUse(String appId, UsedJti jti, long now) {
        Long until = jtis.get(io.userhub.shared.store.JtiItem.partition(appId, jti.jti()));
        return until != null && until >= now;
    }

    private void runConcurrentWriter() {
        Runnable action = beforeNextCommit;
        beforeNextCommit = () -> { };
        action.run();
    }

    private void checkClaims(String domain, Plan plan, boolean checkKept, Set<Guard> failed) {
        for (Identity identity : plan.toClaim()) {
            if (claims.containsKey(claimKey(domain, identity))) {
                failed.add(Guard.CLAIM);
            }
        }
        if (checkKept) {
            for (Identity identity : plan.kept()) {
                Claim claim = claims.get(claimKey(domain, identity));
                if (claim == null || !claim.userId().equals(plan.userId())) {
                    failed.add(Guard.CLAIM);
                }
            }
        }
        for (Move move : plan.moves()) {
            Claim claim = claims.get(claimKey(domain, move.identity()));
            if (claim == null || !claim.equals(move.from()) || !live(profiles.get(profileKey(domain, move.from().userId())))) {
                failed.add(Guard.CLAIM);
            }
        }
    }

    private void applyClaims(String domain, Plan plan, long assertedAt) {
        plan.toClaim().forEach(i -> claims.put(claimKey(domain, i), new Claim(plan.userId(), assertedAt)));
        for (Move move : plan.moves()) {
            claims.put(claimKey(domain, move.identity()), new Claim(plan.userId(), assertedAt));
            profiles.get(profileKey(domain, move.from().userId())).identities.remove(move.identity().profileKey());
        }
    }

    private static List<MovedIdentity> movedBy(Plan plan, long toAssertedAt) {
        return plan.moves().stream().map(m -> new MovedIdentity(m.identity(), m.from().userId(), m.from().assertedAt(), toAssertedAt)).toList();
    }

    private static String lineageKey(String domainId, String userId, String mergeId) {
        return profileKey(domainId, userId) + "|" + mergeId;
    }

    private static String claimKey(String domainId, Identity identity) {
        return io.userhub.shared.store.ClaimItem.partition(domainId, identity);
    }

    // ---- imports (UserImports) --------------------------------------------------------------------

    /** An erase released this identity at {@code erasedAt}; its tombstone is kept until {@code until}. */
    public synchronized void eraseIdentity(String domainId, Identity identity, long erasedAt, long until) {
        claims.remove(claimKey(domainId, identity));
        erasedIdentities.put(claimKey(domainId, identity), new long[] {erasedAt, until});
    }

    @Override
    public synchronized Optional<Claim> findClaim(String domainId, Identity identity) {
        return Optional.ofNullable(claims.get(claimKey(domainId, identity)));
    }

    @Override
    public synchronized Map<String, UserFields> findUserFields(String domainId, List<String> userIds) {
        Map<String, UserFields> byUser = new HashMap<>();
        for (String userId : userIds) {
            StoredProfile profile = profiles.get(profileKey(domainId, userId));
            if (profile != null) {
                Map<String, String> custom = new HashMap<>();
                profile.group(Carried.GLOBAL_CUSTOM_FIELDS).forEach((k, v) -> custom.put(k, String.valueOf(v)));
                byUser.put(userId, new UserFields(Map.copyOf(profile.fields), custom));
            }
        }
        return byUser;
    }

    @Override
    public synchronized Map<String, Long> erasedAt(String domainId, List<Identity> identities, long now) {
        Map<String, Long> erased = new HashMap<>();
        identities.forEach(identity -> {
            long[] tombstone = erasedIdentities.get(claimKey(domainId, identity));
            if (tombstone != null && tombstone[1] > now) {
                erased.put(identity.profileKey(), tombstone[0]);
            }
        });
        return erased;
    }

    /** The profile and its uid claim, all or nothing, as the DynamoDB store's transaction. */
    @Override
    public synchronized boolean createImportedUser(String domainId, String userId, Identity uid, String displayName, UserFields fields,
                                                   long now) {
        runConcurrentWriter();
        if (claims.containsKey(claimKey(domainId, uid)) || profiles.containsKey(profileKey(domainId, userId))) {
            return false;
        }
        StoredProfile profile = new StoredProfile(userId, false, displayName);
        profile.identities.put(uid.profileKey(), StoredIdentity.of(uid, now));
        profile.fields.putAll(fields.fields());
        profile.group(Carried.GLOBAL_CUSTOM_FIELDS).putAll(fields.customFields());
        profiles.put(profileKey(domainId, userId), profile);
        claims.put(claimKey(domainId, uid), new Claim(userId, now));
        return true;
    }

    /** Only the fields that differ, and only if one does: a re-run of the same file writes nothing. */
    @Override
    public synchronized boolean updateUserFields(String domainId, String userId, UserFields fields, long now) {
        StoredProfile profile = profiles.get(profileKey(domainId, userId));
        if (!live(profile)) {
            return false;
        }
        Map<String, Object> custom = profile.group(Carried.GLOBAL_CUSTOM_FIELDS);
        boolean differs = fields.fields().entrySet().stream().anyMatch(e -> !e.getValue().equals(profile.fields.get(e.getKey())))
                || fields.customFields().entrySet().stream().anyMatch(e -> !e.getValue().equals(custom.get(e.getKey())));
        if (!differs) {
            return false;
        }
        profile.fields.putAll(fields.fields());
        custom.putAll(fields.customFields());
        Optional.ofNullable(fields.fields().get("name")).ifPresent(name -> profile.displayName = name);
        return true;
    }

    /** The import's pin replaces any other for the user id; false when it is already the one set, or the profile is gone. */
    @Override
    public synchronized boolean pinImported(String domainId, String appId, String userIdValue, String pinHash, String userId) {
        StoredProfile profile = profiles.get(profileKey(domainId, userId));
        String key = io.userhub.shared.store.PinItem.partition(appId, userIdValue);
        if (!live(profile) || pinHash.equals(pins.get(key))) {
            return false;
        }
        pins.put(key, pinHash);
        profile.pinnedApps.add(appId);
        return true;
    }

    // ---- merge lineages (MergeLineages) ----------------------------------------------------------

    @Override
    public synchronized Optional<Lineage> find(String domainId, String userId, String mergeId) {
        return Optional.ofNullable(lineages.get(lineageKey(domainId, userId, mergeId)));
    }

    @Override
    public synchronized Map<String, Claim> claims(String domainId, List<Identity> identities) {
        return claimsOf(domainId, identities);
    }

    @Override
    public synchronized Optional<ProfileState> profileState(String domainId, String userId) {
        return Optional.ofNullable(profiles.get(profileKey(domainId, userId))).map(p -> new ProfileState(!p.erased, p.mergedInto));
    }

    @Override
    public synchronized CarriedAttributes carriedAttributesOf(String domainId, String userId) {
        StoredProfile profile = profiles.get(profileKey(domainId, userId));
        return profile == null ? CarriedAttributes.NONE : new CarriedAttributes(profile.groups, profile.apps);
    }

    /** The same conditions as DynamoDB's undo transaction, all checked before anything changes. */
    @Override
    public synchronized Commit undo(Undo undo) {
        runConcurrentWriter();
        String domain = undo.domainId();
        Lineage lineage = undo.lineage();
        String receiving = lineage.userId();
        Set<Guard> failed = EnumSet.noneOf(Guard.class);
        Lineage stored = lineages.get(lineageKey(domain, receiving, lineage.mergeId()));
        if (stored == null || stored.undoneAt() != null) {
            failed.add(Guard.LINEAGE);
        }
        for (MovedIdentity moved : lineage.moves()) {
            if (!new Claim(receiving, moved.toAssertedAt()).equals(claims.get(claimKey(domain, moved.identity())))) {
                failed.add(Guard.CLAIM);
            }
            StoredProfile previous = profiles.get(profileKey(domain, moved.fromUserId()));
            if (!live(previous) || previous.mergedInto != null) {
                failed.add(Guard.PROFILE);
            }
        }
        StoredProfile receiver = profiles.get(profileKey(domain, receiving));
        if (!live(receiver)) {
            failed.add(Guard.PROFILE);
        } else {
            CarriedAttributes removable = undo.attributes().removable();
            removable.profile().forEach((group, values) -> values.forEach((key, value) -> {
                if (!value.equals(receiver.groups.getOrDefault(group, Map.of()).get(key))) {
                    failed.add(Guard.PROFILE);
                }
            }));
            removable.apps().forEach((appId, groups) -> groups.forEach((group, values) -> values.forEach((key, value) -> {
                if (!value.equals(receiver.apps.getOrDefault(appId, Map.of()).getOrDefault(group, Map.of()).get(key))) {
                    failed.add(Guard.PROFILE);
                }
            })));
        }
        lineage.anonymous().ifPresent(anonymous -> {
            StoredProfile merged = profiles.get(profileKey(domain, anonymous.userId()));
            if (merged == null || !receiving.equals(merged.mergedInto)) {
                failed.add(Guard.PROFILE);
            }
        });
        if (!failed.isEmpty()) {
            return new Commit.Refused(failed, false);
        }
        for (MovedIdentity moved : lineage.moves()) {
            claims.put(claimKey(domain, moved.identity()), new Claim(moved.fromUserId(), moved.fromAssertedAt()));
            receiver.identities.remove(moved.identity().profileKey());
            profiles.get(profileKey(domain, moved.fromUserId())).identities.put(moved.identity().profileKey(),
                    StoredIdentity.of(moved.identity(), moved.fromAssertedAt()));
        }
        CarriedAttributes removable = undo.attributes().removable();
        removable.profile().forEach((group, values) -> values.keySet().forEach(receiver.group(group)::remove));
        removable.apps().forEach((appId, groups) -> groups.forEach((group, values) -> values.keySet().forEach(receiver.appGroup(appId, group)::remove)));
        lineage.anonymous().ifPresent(anonymous -> profiles.get(profileKey(domain, anonymous.userId())).mergedInto = null);
        lineages.put(lineageKey(domain, receiving, lineage.mergeId()), new Lineage(stored.mergeId(), stored.appId(), stored.userId(),
                stored.at(), stored.moves(), stored.anonymous(), undo.now()));
        recordAudit(List.of(AuditRecords.of(undo.event())));
        return Commit.COMMITTED;
    }

    private static boolean live(StoredProfile profile) {
        return profile != null && !profile.erased;
    }

    private static String profileKey(String domainId, String userId) {
        return io.userhub.shared.store.Keys.userPartition(domainId, userId);
    }

    /** The users whose profiles list the identity: a test's check that an identity is on one profile only. */
    public synchronized List<String> profilesHolding(String domainId, Identity identity) {
        List<String> holders = new ArrayList<>();
        profiles.forEach((key, p) -> {
            if (key.startsWith(io.userhub.shared.store.Keys.userPartition(domainId, "")) && p.identities.containsKey(identity.profileKey())) {
                holders.add(p.userId);
            }
        });
        return holders;
    }
}
