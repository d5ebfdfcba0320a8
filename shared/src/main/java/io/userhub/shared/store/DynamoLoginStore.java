package io.userhub.shared.store;

import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.StoredIdentity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link LoginStore} on DynamoDB: a login's reads are one BatchGetItem, its writes one
 * TransactWriteItems across the users and sessions tables (the layout is in docs/data-model.md),
 * and a cancellation is answered as a {@link Commit.Refused} naming the guards whose conditions failed.
 */
public final class DynamoLoginStore implements LoginStore {
    /** The per-key maps of a profile that the MERGE policy carries from the anonymous user. */
    private static final List<String> MERGED_MAPS = List.of("global", "global_cuf", "tags");

    private final DynamoDbClient dynamo;
    private final UserStore users;
    private final SessionStore sessions;

    public DynamoLoginStore(DynamoDbClient dynamo, UserStore users, SessionStore sessions) {
        this.dynamo = dynamo;
        this.users = users;
        this.sessions = sessions;
    }

    @Override
    public LoginState readLoginState(String domainId, String appId, List<Identity> identities, String deviceId, String pinUserId) {
        return users.readLoginState(domainId, appId, identities, deviceId, pinUserId);
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
    public Optional<UserStore.MergeableAnonymous> mergeableAnonymous(String domainId, String anonymousUserId) {
        return users.mergeableAnonymous(domainId, anonymousUserId);
    }

    @Override
    public Commit commitLogin(LoginWrite write) {
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
        write.jti().ifPresent(jti -> tx.put(Guard.JTI, users.consumeJti(write.appId(), jti.jti(), jti.expiresAt(), write.now())));
        write.pin().ifPresent(pin -> tx.put(Guard.PIN, users.pin(write.appId(), pin.userIdValue(), pin.pinHash())));
        Commit commit = commit(tx);
        if (commit instanceof Commit.Committed && write.plan() != null) {
            IdentityWrites.trimHistories(users, write.domainId(), write.plan());
        }
        return commit;
    }

    @Override
    public Commit commitIdentityAddition(String domainId, String appId, String userId, List<StoredIdentity> assigned,
                                         Plan plan, long assertedAt, Optional<UsedJti> jti, long now) {
        Transaction tx = new Transaction();
        ExpressionBuilder e = users.profileUpdate();
        IdentityWrites.onProfile(e, assigned, plan, now);
        e.set(e.name("updated_at"), Items.n(now));
        tx.update(Guard.PROFILE, e.toUpdate(users.table(), users.profileKey(domainId, userId)));
        // The profile condition means "erased" here, so kept claims keep their own checks.
        IdentityWrites.claims(tx, users, domainId, plan, assertedAt, now, true);
        jti.ifPresent(j -> tx.put(Guard.JTI, users.consumeJti(appId, j.jti(), j.expiresAt(), now)));
        Commit commit = commit(tx);
        if (commit instanceof Commit.Committed) {
            IdentityWrites.trimHistories(users, domainId, plan);
        }
        return commit;
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
            }
            anon.ifPresent(a -> {
                for (String map : MERGED_MAPS) {
                    extra.put(map, Items.m(Items.map(a, map)));
                }
            });
            tx.put(create.anonymous() ? Guard.PROFILE : Guard.CLAIM, users.newProfile(domain, write.userId(), create.anonymous(),
                create.displayName(), create.identities(), extra, now));
        } else if (write.profile() instanceof ProfileWrite.Update update) {
            ExpressionBuilder e = users.profileUpdate();
            e.set(e.name("last_login_at"), Items.n(now));
            e.set(e.name("updated_at"), Items.n(now));
            IdentityWrites.onProfile(e, update.assigned(), write.plan(), now);
            IdentityWrites.keptStillOnProfile(e, write.plan());
            update.fields().forEach((k, v) -> e.set(e.path("fields", k), Items.s(v)));
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
        } else {
            tx.check(Guard.PROFILE, ConditionCheck.builder().tableName(users.table())
                .key(users.profileKey(domain, write.userId()))
                .conditionExpression(UserStore.LIVE_PROFILE + " AND attribute_not_exists(merged_into)")
                .build());
        }
    }

    private Update markMerged(String domain, String anonymousId, String intoUserId) {
        ExpressionBuilder e = users.profileUpdate();
        e.set(e.name("merged_into"), Items.s(intoUserId));
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
     * The device moves to the new session: its previous session and the one named in the
     * Authorization header end in the same transaction (log out then log in, as one step). The
     * named session ends only if it is this device's: a token of someone else's session cannot
     * be used to log them out.
     */
    private void writeDeviceAndSessions(Transaction tx, LoginWrite write) {
        String sessionKey = Keys.session(write.appId(), write.tokenHash());
        tx.update(Guard.DEVICE, users.advanceDevice(write.appId(), write.deviceId(), write.device(),
                sessionKey, write.userId(), write.anonymousUserId(), write.session().createdAt().getEpochSecond()));
        String previous = write.device().sessionKey();
        if (previous != null) {
            tx.delete(Guard.NONE, sessions.deleteSession(previous));
        }
        write.namedSessionKey().filter(key -> !key.equals(previous))
                .ifPresent(key -> tx.delete(Guard.NAMED_SESSION, sessions.deleteSessionOfDevice(key, write.deviceId())));
        tx.put(Guard.SESSION, sessions.newSession(write.session(), write.tokenHash()));
        tx.put(Guard.NONE, users.sessionPointer(write.domainId(), write.userId(), sessionKey, SessionStore.ttlOf(write.session())));
    }
}
