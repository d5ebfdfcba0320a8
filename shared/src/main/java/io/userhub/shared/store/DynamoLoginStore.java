package io.userhub.shared.store;

import io.userhub.shared.audit.AuditRecords;
import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.Claim;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.StoredIdentity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link LoginStore} on DynamoDB: a login's reads are one BatchGetItem; a returning login that
 * changes nothing but the session is one conditional UpdateItem of the device's item, any other
 * one TransactWriteItems across the users and sessions tables (the layout is in
 * docs/data-model.md). A refusal is a {@link Commit.Refused} naming the guards whose conditions failed.
 */
public final class DynamoLoginStore implements LoginStore {
    /** The per-key maps of a profile that the MERGE policy carries from the anonymous user. */
    private static final List<String> MERGED_MAPS = List.of("global", "global_cuf", "tags");

    private final DynamoDbClient dynamo;
    private final UserStore users;
    private final SessionStore sessions;
    private final AuditTrail audit;
    private final MergeLineage lineage;

    public DynamoLoginStore(DynamoDbClient dynamo, UserStore users, SessionStore sessions, AuditTrail audit) {
        this.dynamo = dynamo;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.lineage = new MergeLineage(dynamo, users, audit.retention());
    }

    /**
     * One BatchGetItem over both tables, eventually consistent (half the price of a consistent
     * read): the claims, the pin and the device's item. A stale claim or pin fails its write's
     * condition and the login reads again; a stale device version is LOGIN_IN_PROGRESS, which a
     * second login within the moment a write takes to replicate is anyway.
     */
    @Override
    public LoginState readLoginState(String domainId, String appId, List<Identity> identities, String deviceId, String pinUserId) {
        List<Map<String, AttributeValue>> userKeys = new ArrayList<>();
        for (Identity identity : identities) {
            userKeys.add(Items.key(Keys.claim(domainId, identity), Keys.CLAIM));
        }
        String pinKey = pinUserId == null ? null : Keys.pin(appId, pinUserId);
        if (pinKey != null) {
            userKeys.add(Items.key(pinKey, Keys.PIN));
        }
        String deviceKey = Keys.deviceSession(appId, deviceId);
        Map<String, KeysAndAttributes> request = new HashMap<>();
        if (!userKeys.isEmpty()) {
            request.put(users.table(), KeysAndAttributes.builder().keys(userKeys.stream().distinct().toList()).consistentRead(false).build());
        }
        request.put(sessions.table(), KeysAndAttributes.builder().keys(List.of(Items.key(deviceKey))).consistentRead(false).build());
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        BatchReads.all(dynamo, request).forEach(item -> found.put(Items.string(item, "pk"), item));
        Map<String, Claim> claims = new HashMap<>();
        for (Identity identity : identities) {
            Map<String, AttributeValue> item = found.get(Keys.claim(domainId, identity));
            if (item != null) {
                claims.put(identity.profileKey(), new Claim(Items.string(item, "user_id"), Items.number(item, "asserted_at")));
            }
        }
        Optional<Map<String, AttributeValue>> pinItem = pinKey == null ? Optional.empty() : Optional.ofNullable(found.get(pinKey));
        return new LoginState(claims, SessionStore.deviceState(found.get(deviceKey)),
                pinItem.map(i -> Items.string(i, "pin_hash")), pinItem.map(i -> Items.string(i, "profile_user_id")));
    }

    @Override
    public LoginState readClaims(String domainId, List<Identity> identities) {
        return users.readClaims(domainId, identities);
    }

    @Override
    public Optional<Profile> findProfile(String domainId, String userId) {
        return users.findProfile(domainId, userId);
    }

    @Override
    public Optional<Profile> viewProfile(String domainId, String userId) {
        return users.findProfile(domainId, userId, false);
    }

    @Override
    public Optional<UserStore.MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId) {
        return users.mergeableAnonymous(domainId, anonymousUserId);
    }

    @Override
    public Commit commitLogin(LoginWrite write) {
        if (write.replacesSessionOnly()) {
            return replaceSession(write);
        }
        Transaction tx = new Transaction();
        writeProfile(tx, write);
        if (write.plan() != null) {
            IdentityWrites.claims(tx, users, write.domainId(), write.plan(), write.assertedAt(), write.now(), false);
        }
        write.merged().ifPresent(anon -> {
            tx.update(Guard.NONE, markMerged(write.domainId(), anon.userId(), write.userId()));
            anon.appItems().forEach(appItem -> tx.update(Guard.NONE, mergeAppItem(write.domainId(), write.userId(), appItem, write.now())));
        });
        writeDeviceAndSessions(tx, write);
        write.newDeviceAllowance().ifPresent(allowance -> tx.update(Guard.ALLOWANCE,
                users.newAnonymousDevice(write.appId(), allowance.sourceIpDigest(), allowance.hour(), allowance.limit())));
        write.jti().ifPresent(jti -> tx.put(Guard.JTI, users.consumeJti(write.appId(), jti.jti(), jti.expiresAt(), write.now())));
        write.pin().ifPresent(pin -> tx.put(Guard.PIN, users.pin(write.appId(), pin.userIdValue(), pin.pinHash())));
        AuditRecords.of(write.events()).forEach(record -> tx.put(Guard.NONE, audit.put(record)));
        lineage(write).ifPresent(put -> tx.put(Guard.NONE, put));
        Commit commit = commit(tx);
        if (commit instanceof Commit.Committed && write.plan() != null) {
            IdentityWrites.trimHistories(users, write.domainId(), write.plan());
        }
        return commit;
    }

    @Override
    public Commit commitIdentityAddition(String domainId, String appId, String userId, List<StoredIdentity> assigned,
                                         Plan plan, long assertedAt, Optional<UsedJti> jti, long now, String additionId,
                                         List<DomainEvent> events) {
        return commitIdentityAddition(domainId, appId, userId, assigned, plan, assertedAt, jti, now, additionId, events, List.of());
    }

    @Override
    public Commit commitIdentityAddition(String domainId, String appId, String userId, List<StoredIdentity> assigned,
                                         Plan plan, long assertedAt, Optional<UsedJti> jti, long now, String additionId,
                                         List<DomainEvent> events, List<StoredIdentity> unverified) {
        Transaction tx = new Transaction();
        ExpressionBuilder e = users.profileUpdate();
        IdentityWrites.onProfile(e, assigned, plan, now);
        unverified.forEach(i -> e.set(e.path(UserStore.UNVERIFIED_IDENTITIES, i.identity().profileKey()), UserStore.identityItem(i)));
        e.set(e.name("updated_at"), Items.n(now));
        tx.update(Guard.PROFILE, e.toUpdate(users.table(), users.profileKey(domainId, userId)));
        // The profile condition means "erased" here, so kept claims keep their own checks.
        IdentityWrites.claims(tx, users, domainId, plan, assertedAt, now, true);
        jti.ifPresent(j -> tx.put(Guard.JTI, users.consumeJti(appId, j.jti(), j.expiresAt(), now)));
        AuditRecords.of(events).forEach(record -> tx.put(Guard.NONE, audit.put(record)));
        if (!plan.moves().isEmpty()) {
            tx.put(Guard.NONE, lineage.put(domainId, appId, userId, additionId, now,
                    MergeLineage.moves(plan.moves(), assertedAt), Optional.empty()));
        }
        Commit commit = commit(tx);
        if (commit instanceof Commit.Committed) {
            IdentityWrites.trimHistories(users, domainId, plan);
        }
        return commit;
    }

    /**
     * A login that moves identities or carries an anonymous user's data leaves its lineage, so it
     * can be undone. For a MERGE into an existing profile the profile's partition is read first
     * (one more Query, only on that path) to tell which attributes the merge fills in.
     */
    private Optional<Put> lineage(LoginWrite write) {
        List<MergeLineage.MovedIdentity> moves = write.plan() == null ? List.of() : MergeLineage.moves(write.plan().moves(), write.assertedAt());
        if (moves.isEmpty() && write.merged().isEmpty()) {
            return Optional.empty();
        }
        Optional<MergeLineage.MergedAnonymous> anonymous = write.merged().map(anon -> MergeLineage.filledBy(anon,
                write.profile() instanceof ProfileWrite.Create ? List.of() : users.partitionItems(write.domainId(), write.userId())));
        return Optional.of(lineage.put(write.domainId(), write.appId(), write.userId(), write.loginId(),
                write.now(), moves, anonymous));
    }

    private Commit commit(Transaction tx) {
        try {
            tx.commit(dynamo);
            return Commit.COMMITTED;
        } catch (GuardFailedException failed) {
            return new Commit.Refused(failed.failed(), failed.conflict());
        }
    }

    private void writeProfile(Transaction tx, LoginWrite write) {
        String domain = write.domainId();
        long now = write.now();
        Optional<Map<String, AttributeValue>> anon = write.merged().map(UserStore.MergeableAnonymous::profile);
        if (write.profile() instanceof ProfileWrite.Create create) {
            Map<String, AttributeValue> extra = new HashMap<>();
            if (!create.anonymous()) {
                Map<String, AttributeValue> fields = new HashMap<>();
                create.fields().forEach((k, v) -> fields.put(k, Items.s(v)));
                extra.put("fields", Items.m(fields));
                // The profile remembers which apps pinned a security hash, so that erasing it finds the pins.
                extra.put("pins", Items.m(create.pinned() ? Map.of(write.appId(), Items.bool(true)) : Map.of()));
                extra.put("identity_history", Items.l(IdentityWrites.movedInHistory(write.plan(), now)));
                Map<String, AttributeValue> unverified = new HashMap<>();
                create.unverified().forEach(i -> unverified.put(i.identity().profileKey(), UserStore.identityItem(i)));
                extra.put(UserStore.UNVERIFIED_IDENTITIES, Items.m(unverified));
            }
            anon.ifPresent(a -> {
                for (String map : MERGED_MAPS) {
                    extra.put(map, Items.m(Items.map(a, map)));
                }
            });
            // Nothing an unauthenticated caller makes lives for ever: an anonymous profile expires after the app's inactivity period.
            write.anonymousExpiry().ifPresent(expiry -> extra.put("ttl", Items.n(expiry.expiresAt())));
            tx.put(create.anonymous() ? Guard.PROFILE : Guard.CLAIM, users.newProfile(domain, write.userId(), create.anonymous(),
                create.displayName(), create.identities(), extra, now));
        } else if (write.profile() instanceof ProfileWrite.Update update) {
            ExpressionBuilder e = users.profileUpdate();
            e.set(e.name("last_login_at"), Items.n(now));
            e.set(e.name("updated_at"), Items.n(now));
            IdentityWrites.onProfile(e, update.assigned(), write.plan(), now);
            IdentityWrites.keptStillOnProfile(e, write.plan());
            update.fields().forEach((k, v) -> e.set(e.path("fields", k), Items.s(v)));
            update.unverified().forEach(i -> e.set(e.path(UserStore.UNVERIFIED_IDENTITIES, i.identity().profileKey()), UserStore.identityItem(i)));
            if (update.pinned()) {
                e.set(e.path("pins", write.appId()), Items.bool(true));
            }
            if (update.displayName() != null) {
                e.set(e.name("display_name"), Items.s(update.displayName()));
            }
            anon.ifPresent(a -> {
                // Merge keeps what the identified user already has: the anonymous value only fills gaps.
                for (String map : MERGED_MAPS) {
                    Items.map(a, map).forEach((k, v) -> e.setIfAbsent(e.path(map, k), v));
                }
            });
            tx.update(Guard.PROFILE, e.toUpdate(users.table(), users.profileKey(domain, write.userId())));
        } else if (write.profile() instanceof ProfileWrite.Unchanged) {
            ExpressionBuilder e = users.profileUpdate();
            IdentityWrites.keptStillOnProfile(e, write.plan());
            tx.check(Guard.PROFILE, ConditionCheck.builder().tableName(users.table())
                .key(users.profileKey(domain, write.userId()))
                .conditionExpression(e.conditionExpression())
                .expressionAttributeNames(e.names().isEmpty() ? null : e.names())
                .expressionAttributeValues(e.values().isEmpty() ? null : e.values())
                .build());
        } else if (write.anonymousExpiry().map(LoginStore.AnonymousExpiry::extendProfile).orElse(false)) {
            ExpressionBuilder e = users.profileUpdate();
            e.set(e.name("ttl"), Items.n(write.anonymousExpiry().get().expiresAt()));
            e.condition("attribute_not_exists(" + e.name("merged_into") + ")");
            tx.update(Guard.PROFILE, e.toUpdate(users.table(), users.profileKey(domain, write.userId())));
        } else {
            tx.check(Guard.PROFILE, ConditionCheck.builder().tableName(users.table())
                .key(users.profileKey(domain, write.userId()))
                .conditionExpression(UserStore.LIVE_PROFILE + " AND attribute_not_exists(merged_into)")
                .build());
        }
    }

    /**
     * The returning login on a device whose item is the user's already: the new session replaces
     * the old one in one conditional UpdateItem. No other item needs a word: the profile is not
     * written, the pointer to the item exists since the login that gave the device to the user,
     * and an erase deletes the item (so this write fails and the login reads again).
     * The login's audit record is not part of it: the audit writer writes it once this committed.
     */
    private Commit replaceSession(LoginWrite write) {
        ExpressionBuilder install = sessions.installSession(write.session(), write.sessionKey(), write.device(),
                write.anonymousUserId(), write.loginDigest(), true, write.anonymousExpiry());
        SessionStore.Install installed = sessions.installSessionNow(install, write.sessionKey().key());
        if (installed instanceof SessionStore.Install.Refused refused) {
            boolean sameOwnerNewVersion = refused.current().map(current -> current.ownedBy(write.userId())).orElse(false);
            return new Commit.Refused(java.util.Set.of(sameOwnerNewVersion ? Guard.DEVICE : Guard.PROFILE), false);
        }
        return Commit.COMMITTED_WITHOUT_RECORDS;
    }

    private Update markMerged(String domain, String anonymousId, String intoUserId) {
        ExpressionBuilder e = users.profileUpdate();
        e.set(e.name("merged_into"), Items.s(intoUserId));
        // A merged anonymous user stops expiring: an unmerge may bring it back.
        e.remove(e.name("ttl"));
        e.condition("attribute_not_exists(" + e.name("merged_into") + ")");
        return e.toUpdate(users.table(), users.profileKey(domain, anonymousId));
    }

    /** App attributes of the anonymous user fill the identified user's gaps, key by key, in the same app item. */
    private Update mergeAppItem(String domain, String intoUserId, Map<String, AttributeValue> appItem, long now) {
        ExpressionBuilder e = new ExpressionBuilder();
        appItem.forEach((name, value) -> {
            if (name.startsWith("a:") || name.startsWith("cuf:")) {
                e.setIfAbsent(e.name(name), value);
            }
        });
        e.set(e.name("app_id"), appItem.get("app_id"));
        e.set(e.name("user_id"), Items.s(intoUserId));
        e.set(e.name("updated_at"), Items.n(now));
        return e.toUpdate(users.table(), Items.key(Keys.profile(domain, intoUserId), Items.string(appItem, "sk")));
    }

    /**
     * The device's item takes the new session (replacing the one it held); the user's partition
     * gets a pointer to the item when the device changes hands.
     */
    private void writeDeviceAndSessions(Transaction tx, LoginWrite write) {
        String sessionKey = write.sessionKey().key();
        tx.update(Guard.DEVICE, sessions.installSessionInTransaction(sessions.installSession(write.session(), write.sessionKey(),
                write.device(), write.anonymousUserId(), write.loginDigest(), false, write.anonymousExpiry()), sessionKey));
        Optional<LoginStore.AnonymousExpiry> anonymous = write.anonymousExpiry();
        if (!write.device().ownedBy(write.userId()) || anonymous.map(LoginStore.AnonymousExpiry::extendProfile).orElse(false)) {
            tx.put(Guard.NONE, anonymous.isPresent()
                    ? users.devicePointer(write.domainId(), write.userId(), sessionKey, anonymous.get().expiresAt())
                    : users.devicePointer(write.domainId(), write.userId(), sessionKey));
        }
    }
}
