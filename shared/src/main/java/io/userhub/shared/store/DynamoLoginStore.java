package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import io.userhub.shared.port.Commit;

import io.userhub.shared.port.LoginStore;

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
    private final DynamoDbClient dynamo;
    private final UserStore users;
    private final SessionStore sessions;
    private final AuditTrail audit;
    private final DynamoMergeLineages lineage;
    private final WebhookOutboxItems outbox;

    public DynamoLoginStore(DynamoDbClient dynamo, UserStore users, SessionStore sessions, AuditTrail audit) {
        this(dynamo, users, sessions, audit, WebhookOutboxItems.NONE);
    }

    /** @param outbox the webhook events its transactions carry beside their audit records */
    public DynamoLoginStore(DynamoDbClient dynamo, UserStore users, SessionStore sessions, AuditTrail audit, WebhookOutboxItems outbox) {
        this.dynamo = dynamo;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.outbox = outbox;
        this.lineage = new DynamoMergeLineages(dynamo, users, audit.retention(), outbox);
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
            userKeys.add(ClaimItem.key(domainId, identity));
        }
        String pinKey = pinUserId == null ? null : PinItem.partition(appId, pinUserId);
        if (pinKey != null) {
            userKeys.add(PinItem.key(appId, pinUserId));
        }
        String deviceKey = SessionStore.deviceKey(appId, deviceId);
        Map<String, KeysAndAttributes> request = new HashMap<>();
        if (!userKeys.isEmpty()) {
            request.put(users.table(), KeysAndAttributes.builder().keys(userKeys.stream().distinct().toList()).consistentRead(false).build());
        }
        request.put(sessions.table(), KeysAndAttributes.builder().keys(List.of(Items.key(deviceKey))).consistentRead(false).build());
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        BatchReads.all(dynamo, request).forEach(item -> found.put(Items.string(item, "pk"), item));
        Map<String, Claim> claims = new HashMap<>();
        for (Identity identity : identities) {
            Map<String, AttributeValue> item = found.get(ClaimItem.partition(domainId, identity));
            if (item != null) {
                claims.put(identity.profileKey(), ClaimItem.toClaim(item));
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
    public Optional<MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId) {
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
            IdentityWrites.claims(tx, users.table(), write.domainId(), write.plan(), write.assertedAt(), write.now(), false);
        }
        write.merged().ifPresent(anon -> {
            tx.update(Guard.NONE, ProfileItem.change(write.domainId(), anon.userId()).mergedInto(write.userId()).toUpdate(users.table()));
            anon.apps().forEach((appId, groups) -> tx.update(Guard.NONE, AppDataItem.change(write.domainId(), write.userId(), appId)
                    .fillGaps(groups).touched(write.now()).toUpdate(users.table())));
        });
        writeDeviceAndSessions(tx, write);
        write.newDeviceAllowance().ifPresent(allowance -> tx.update(Guard.ALLOWANCE, NewDeviceAllowanceItem.take(users.table(),
                write.appId(), allowance.sourceIpDigest(), allowance.hour(), allowance.limit())));
        write.jti().ifPresent(jti -> tx.put(Guard.JTI, JtiItem.consume(users.table(), write.appId(), jti.jti(), jti.expiresAt(), write.now())));
        write.pin().ifPresent(pin -> tx.put(Guard.PIN, PinItem.pinnedByLogin(users.table(), write.appId(), pin.userIdValue(), pin.pinHash())));
        AuditRecords.of(write.events()).forEach(record -> tx.put(Guard.NONE, audit.put(record)));
        outbox.addTo(tx, write.events());
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
        ProfileItem.Change profile = IdentityWrites.onProfile(ProfileItem.change(domainId, userId), assigned, plan, now);
        unverified.forEach(profile::unverified);
        tx.update(Guard.PROFILE, profile.touched(now).toUpdate(users.table()));
        // The profile condition means "erased" here, so kept claims keep their own checks.
        IdentityWrites.claims(tx, users.table(), domainId, plan, assertedAt, now, true);
        jti.ifPresent(j -> tx.put(Guard.JTI, JtiItem.consume(users.table(), appId, j.jti(), j.expiresAt(), now)));
        AuditRecords.of(events).forEach(record -> tx.put(Guard.NONE, audit.put(record)));
        outbox.addTo(tx, events);
        if (!plan.moves().isEmpty()) {
            tx.put(Guard.NONE, lineage.put(domainId, appId, userId, additionId, now,
                    DynamoMergeLineages.moves(plan.moves(), assertedAt), Optional.empty()));
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
        List<io.userhub.shared.port.MergeLineages.MovedIdentity> moves = write.plan() == null ? List.of() : DynamoMergeLineages.moves(write.plan().moves(), write.assertedAt());
        if (moves.isEmpty() && write.merged().isEmpty()) {
            return Optional.empty();
        }
        Optional<io.userhub.shared.port.MergeLineages.MergedAnonymous> anonymous = write.merged().map(anon -> DynamoMergeLineages.filledBy(anon,
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
        String table = users.table();
        Optional<MergeableAnonymous> anon = write.merged();
        if (write.profile() instanceof ProfileWrite.Create create) {
            ProfileItem.New profile = ProfileItem.create(domain, write.userId(), create.anonymous(), create.displayName(),
                    create.identities(), now);
            if (!create.anonymous()) {
                profile.fields(create.fields()).history(IdentityWrites.movedIn(write.plan(), now)).unverified(create.unverified());
                if (create.pinned()) {
                    profile.pinnedBy(write.appId());
                }
            }
            anon.ifPresent(a -> profile.carrying(a.profile()));
            write.anonymousExpiry().ifPresent(expiry -> profile.expiresAt(expiry.expiresAt()));
            tx.put(create.anonymous() ? Guard.PROFILE : Guard.CLAIM, profile.toPut(table));
        } else if (write.profile() instanceof ProfileWrite.Update update) {
            ProfileItem.Change profile = IdentityWrites.onProfile(ProfileItem.change(domain, write.userId()).loggedIn(now),
                    update.assigned(), write.plan(), now);
            IdentityWrites.keptStillOnProfile(profile, write.plan());
            update.fields().forEach(profile::field);
            update.unverified().forEach(profile::unverified);
            if (update.pinned()) {
                profile.pinnedBy(write.appId());
            }
            if (update.displayName() != null) {
                profile.displayName(update.displayName());
            }
            anon.ifPresent(a -> profile.fillGaps(a.profile()));
            tx.update(Guard.PROFILE, profile.toUpdate(table));
        } else if (write.profile() instanceof ProfileWrite.Unchanged) {
            tx.check(Guard.PROFILE, IdentityWrites.keptStillOnProfile(ProfileItem.change(domain, write.userId()), write.plan()).toCheck(table));
        } else if (write.anonymousExpiry().map(LoginStore.AnonymousExpiry::extendProfile).orElse(false)) {
            tx.update(Guard.PROFILE, ProfileItem.change(domain, write.userId())
                    .expiresAt(write.anonymousExpiry().get().expiresAt()).notMerged().toUpdate(table));
        } else {
            tx.check(Guard.PROFILE, ProfileItem.change(domain, write.userId()).notMerged().toCheck(table));
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
        SessionStore.Install installed = sessions.installSessionNow(install, SessionStore.itemKey(write.sessionKey()));
        if (installed instanceof SessionStore.Install.Refused refused) {
            boolean sameOwnerNewVersion = refused.current().map(current -> current.ownedBy(write.userId())).orElse(false);
            return new Commit.Refused(java.util.Set.of(sameOwnerNewVersion ? Guard.DEVICE : Guard.PROFILE), false);
        }
        return Commit.COMMITTED_WITHOUT_RECORDS;
    }

    /**
     * The device's item takes the new session (replacing the one it held); the user's partition
     * gets a pointer to the item when the device changes hands.
     */
    private void writeDeviceAndSessions(Transaction tx, LoginWrite write) {
        String sessionKey = SessionStore.itemKey(write.sessionKey());
        tx.update(Guard.DEVICE, sessions.installSessionInTransaction(sessions.installSession(write.session(), write.sessionKey(),
                write.device(), write.anonymousUserId(), write.loginDigest(), false, write.anonymousExpiry()), sessionKey));
        Optional<LoginStore.AnonymousExpiry> anonymous = write.anonymousExpiry();
        if (!write.device().ownedBy(write.userId()) || anonymous.map(LoginStore.AnonymousExpiry::extendProfile).orElse(false)) {
            tx.put(Guard.NONE, anonymous.isPresent()
                    ? DevicePointerItem.put(users.table(), write.domainId(), write.userId(), sessionKey, anonymous.get().expiresAt())
                    : DevicePointerItem.put(users.table(), write.domainId(), write.userId(), sessionKey));
        }
    }
}
