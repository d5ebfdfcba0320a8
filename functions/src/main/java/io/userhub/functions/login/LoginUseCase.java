package io.userhub.functions.login;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.config.Futures;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.identity.DisplayNames;
import io.userhub.shared.identity.IdentityResolution;
import io.userhub.shared.identity.IdentityWrites;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.Session;
import io.userhub.shared.model.StoredIdentity;
import io.userhub.shared.model.UserIdVerification;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.store.ExpressionBuilder;
import io.userhub.shared.store.Guard;
import io.userhub.shared.store.GuardFailedException;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.store.Items;
import io.userhub.shared.store.Keys;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.store.Transaction;
import io.userhub.shared.store.UserStore;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.token.IdentityAssertion;
import io.userhub.shared.token.IdentityTokens;
import io.userhub.shared.token.UserIdSignatures;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.LoginConfigRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;
import io.userhub.shared.validation.TokenFailureCause;
import io.userhub.shared.validation.UserRecordRules;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Logs a user in. A returning user costs two sequential DynamoDB round trips once the app is
 * cached: one BatchGetItem (claims, device, pin) and one TransactWriteItems (profile, claims,
 * device, sessions, jti, pin) with the profile read in parallel for the response.
 */
public final class LoginUseCase {
    private static final int ATTEMPTS = 4;
    /** The per-key maps of a profile that the MERGE policy carries from the anonymous user. */
    private static final List<String> MERGED_MAPS = List.of("global", "global_cuf", "tags");

    private final AppDirectory apps;
    private final UserStore users;
    private final SessionStore sessions;
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final Executor parallel;

    public LoginUseCase(Wiring wiring) {
        this.apps = wiring.apps();
        this.users = new UserStore(wiring.dynamo(), wiring.tables().users());
        this.sessions = new SessionStore(wiring.dynamo(), wiring.tables().sessions());
        this.dynamo = wiring.dynamo();
        this.clock = wiring.clock();
        this.parallel = wiring.parallel();
    }

    public LoginResult login(LoginCommand command) {
        try {
            AppConfig app = apps.require(command.appId());
            if (!app.identityEnabled()) {
                throw Problem.of(Reason.IDENTITY_FEATURE_NOT_ENABLED).reject();
            }
            if (!app.settings().allows(command.mode())) {
                throw Problem.withDetails(Reason.LOGIN_MODE_DISABLED, Map.of("mode", command.mode().name())).reject();
            }
            Instant now = clock.instant();
            LoginIntent intent;
            if (command instanceof LoginCommand.IdentitiesLogin c) {
                intent = identitiesIntent(c, app, now);
            } else if (command instanceof LoginCommand.ExternalIdLogin c) {
                intent = externalIdIntent(c, app, now);
            } else {
                intent = userIdIntent((LoginCommand.UserIdLogin) command, app, now);
            }
            return intent instanceof LoginIntent.Identified identified
                    ? loginIdentified(app, command, identified, now)
                    : loginAnonymously(app, command, now);
        } catch (Rejection rejection) {
            return new LoginResult.Failure(rejection.problem());
        }
    }

    // ---- credentials -> intent -----------------------------------------------------------

    private LoginIntent identitiesIntent(LoginCommand.IdentitiesLogin c, AppConfig app, Instant now) {
        boolean fullPrivacy = LoginConfigRules.readFullPrivacy(c.config());
        if (c.identityToken().isEmpty()) {
            checkExpected(c.expected(), null, null);
            return new LoginIntent.Anonymous();
        }
        IdentityAssertion assertion = IdentityTokens.readIdentitiesToken(c.identityToken(), app, now);
        if (!fullPrivacy) {
            IdentityRules.requireUidOrEmail(assertion.identities());
        }
        checkExpected(c.expected(), assertion.uid().map(Identity::value).orElse(null),
                assertion.emails().stream().map(Identity::value).findFirst().orElse(null));
        // In full privacy no identity other than uid is stored; without a uid the user is anonymous.
        List<Identity> identities = fullPrivacy ? assertion.uid().map(List::of).orElse(List.of()) : assertion.identities();
        if (identities.isEmpty()) {
            return new LoginIntent.Anonymous();
        }
        return new LoginIntent.Identified(identities, assertion.issuedAt(), true, assertion.jti(),
                assertion.jtiExpiresAt(app.settings()), null, null, Map.of(), null, fullPrivacy);
    }

    private LoginIntent externalIdIntent(LoginCommand.ExternalIdLogin c, AppConfig app, Instant now) {
        JsonNode claimed = c.externalId();
        String externalId = IdentityRules.requireUidValue("external_id", claimed, app.settings().blockedValues(), Reason.EXTERNAL_ID_INVALID);
        if (c.jwt() == null || c.jwt().isBlank()) {
            throw Problem.token(TokenFailureCause.MALFORMED).reject();
        }
        IdentityAssertion assertion = IdentityTokens.readExternalIdToken(c.jwt(), externalId, app, now);
        return new LoginIntent.Identified(assertion.identities(), assertion.issuedAt(), true, assertion.jti(),
                assertion.jtiExpiresAt(app.settings()), null, null, Map.of(), null, false);
    }

    private LoginIntent userIdIntent(LoginCommand.UserIdLogin c, AppConfig app, Instant now) {
        JsonNode user = c.user();
        if (user == null || !user.isObject()) {
            throw Problem.field("user", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        JsonNode userId = user.get("user_id");
        if (userId == null || userId.isNull() || (userId.isTextual() && userId.asText().isEmpty())) {
            // HelpCrunch: without a user_id the visitor is not authenticated: an anonymous user.
            return new LoginIntent.Anonymous();
        }
        String uid = IdentityRules.requireUidValue("user_id", userId, app.settings().blockedValues(), Reason.IDENTITIES_DATA_INVALID);
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String field : UserRecordRules.FIELDS) {
            JsonNode value = user.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                errors.put("user." + field, ErrorCode.INVALID_VALUE_TYPE.name());
            } else if (UserRecordRules.fieldError(field, value.asText()) != null) {
                errors.put("user." + field, UserRecordRules.fieldError(field, value.asText()).name());
            } else if (!value.asText().isBlank()) {
                fields.put(field, value.asText());
            }
        }
        JsonNode securityHash = user.get("security_hash");
        String presentedHash = null;
        if (securityHash != null && !securityHash.isNull()) {
            if (!securityHash.isTextual() || securityHash.asText().isEmpty()) {
                errors.put("user.security_hash", ErrorCode.INVALID_VALUE_TYPE.name());
            } else if (securityHash.asText().length() > Limits.KEY_LENGTH_MAX) {
                errors.put("user.security_hash", ErrorCode.VALUE_LENGTH_LIMIT_EXCEEDED.name());
            } else {
                presentedHash = securityHash.asText();
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.withErrors(Reason.FIELD_INVALID, errors).reject();
        }
        long nowSeconds = now.getEpochSecond();
        if (app.settings().userIdVerification() == UserIdVerification.HMAC) {
            // The backend's HMAC of the user id proves the user as a signed token does: the verified namespace.
            if (!UserIdSignatures.matches(app, uid, presentedHash)) {
                throw Problem.withDetails(Reason.SECURITY_HASH_MISMATCH, Map.of("problem", "HMAC_REQUIRED")).reject();
            }
            return new LoginIntent.Identified(List.of(Identity.uid(uid)), nowSeconds, true, null, 0,
                    null, null, fields, fields.get("name"), false);
        }
        // Nothing is proven: the unverified namespace, where a security hash, once sent, is pinned.
        String pinHash = presentedHash == null ? null : Hashing.sha256Hex(presentedHash);
        return new LoginIntent.Identified(List.of(Identity.unverifiedUid(uid)), nowSeconds, false, null, 0,
                uid, pinHash, fields, fields.get("name"), false);
    }


    /** A web widget's configured user id / email must match the JWT (Helpshift Web Chat). */
    private static void checkExpected(LoginCommand.Expected expected, String jwtUserId, String jwtEmail) {
        if (expected.userId() != null && !expected.userId().isEmpty() && !expected.userId().equals(jwtUserId)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("jwtUserId", jwtUserId);
            details.put("configUserId", expected.userId());
            throw Problem.withDetails(Reason.CONFIG_JWT_USER_ID_MISMATCH, details).reject();
        }
        if (expected.userEmail() != null && !expected.userEmail().isEmpty()
                && (jwtEmail == null || !expected.userEmail().trim().equalsIgnoreCase(jwtEmail.trim()))) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("jwtEmail", jwtEmail);
            details.put("configEmail", expected.userEmail());
            throw Problem.withDetails(Reason.CONFIG_JWT_EMAIL_MISMATCH, details).reject();
        }
    }

    // ---- identified login -------------------------------------------------------------------

    private LoginResult loginIdentified(AppConfig app, LoginCommand command, LoginIntent.Identified intent, Instant now) {
        String domain = app.domainId();
        boolean endNamedSession = true;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            LoginState state = users.readLoginState(domain, app.appId(), intent.identities(), command.deviceId(), intent.pinUserId());
            checkPin(state, intent);
            Optional<String> adoptable = IdentityResolution.emailOwnerForNewUid(intent.identities(), state)
                    .filter(owner -> users.findProfile(domain, owner).map(p -> !p.hasUid() && !p.anonymous()).orElse(false));
            Plan plan = IdentityResolution.resolve(intent.identities(), state, intent.assertedAt(), intent.signed(),
                    adoptable, Hashing::randomId);
            List<Map<String, AttributeValue>> anonymousItems = anonymousToMerge(app, state, plan.userId());
            Optional<Map<String, AttributeValue>> anonymousToMerge = anonymousItems.stream()
                    .filter(item -> Keys.PROFILE.equals(Items.string(item, "sk"))).findFirst();

            IssuedSession issued = IssuedSession.create(app, plan.userId(), command.deviceId(), false, intent.fullPrivacy(), now);
            List<StoredIdentity> assigned = IdentityWrites.assigned(plan, state, intent.assertedAt());
            Transaction tx = new Transaction();
            String newProfileName = intent.displayName() != null ? intent.displayName() : DisplayNames.random();
            boolean pinning = intent.pinHash() != null && state.pinHash().isEmpty();
            writeProfile(tx, domain, app.appId(), plan, assigned, intent, newProfileName, pinning, anonymousToMerge, now);
            IdentityWrites.claims(tx, users, domain, plan, intent.assertedAt(), now.getEpochSecond());
            anonymousToMerge.ifPresent(anon -> tx.update(Guard.NONE, markMerged(domain, Items.string(anon, "user_id"), plan.userId())));
            anonymousItems.stream().filter(item -> !Keys.PROFILE.equals(Items.string(item, "sk")))
                    .forEach(appItem -> tx.update(Guard.NONE, mergeAppItem(domain, plan.userId(), appItem, now)));
            writeDeviceAndSessions(tx, app, command, state, issued, plan.userId(), null, endNamedSession);
            if (intent.jti() != null) {
                tx.put(Guard.JTI, users.consumeJti(app.appId(), intent.jti(), intent.jtiExpiresAt(), now.getEpochSecond()));
            }
            if (pinning) {
                tx.put(Guard.PIN, users.pin(app.appId(), intent.pinUserId(), intent.pinHash()));
            }

            CompletableFuture<Optional<Profile>> profileRead = plan.newProfile()
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.supplyAsync(() -> users.findProfile(domain, plan.userId()), parallel);
            try {
                tx.commit(dynamo);
            } catch (GuardFailedException failed) {
                failIfFinal(failed);
                endNamedSession = endNamedSession && !failed.failed().contains(Guard.NAMED_SESSION);
                backOff(attempt);
                continue;
            }
            IdentityWrites.trimHistories(users, domain, plan);
            Profile stored = Futures.join(profileRead).orElse(null);
            String displayName = intent.displayName() != null ? intent.displayName()
                    : stored != null ? stored.displayName() : newProfileName;
            return success(issued, plan, assigned, stored, displayName);
        }
        throw Problem.of(Reason.LOGIN_IN_PROGRESS).reject();
    }

    private static void checkPin(LoginState state, LoginIntent.Identified intent) {
        // HelpCrunch: once a security_hash was sent for a user id, every later login must send the same one.
        if (state.pinHash().isPresent()
                && (intent.pinHash() == null || !Hashing.sameDigest(state.pinHash().get(), intent.pinHash()))) {
            throw Problem.of(Reason.SECURITY_HASH_MISMATCH).reject();
        }
    }

    /** The anonymous user's profile and app items (one Query), when the MERGE policy applies to this login. */
    private List<Map<String, AttributeValue>> anonymousToMerge(AppConfig app, LoginState state, String userId) {
        String anonymousId = state.device().anonymousUserId();
        if (app.settings().anonymousPolicy() != AnonymousPolicy.MERGE || anonymousId == null || anonymousId.equals(userId)) {
            return List.of();
        }
        List<Map<String, AttributeValue>> items = users.userPartition(app.domainId(), anonymousId);
        boolean mergeable = items.stream().anyMatch(item -> Keys.PROFILE.equals(Items.string(item, "sk"))
                && Items.flag(item, "anonymous") && Items.string(item, "merged_into") == null
                && !item.containsKey("erased_at"));
        // The profile and its app items; session pointers stay with the anonymous user.
        return mergeable ? items.stream().filter(item -> !Items.string(item, "sk").startsWith(UserStore.SESSION_POINTER_PREFIX)).toList()
                : List.of();
    }

    /** App attributes of the anonymous user fill the identified user's gaps, key by key, in the same app item. */
    private software.amazon.awssdk.services.dynamodb.model.Update mergeAppItem(String domain, String intoUserId,
                                                                              Map<String, AttributeValue> appItem, Instant now) {
        ExpressionBuilder e = new ExpressionBuilder();
        appItem.forEach((name, value) -> {
            if (name.startsWith("a:") || name.startsWith("cuf:")) {
                e.setIfAbsent(e.name(name), value);
            }
        });
        e.set(e.name("app_id"), appItem.get("app_id"));
        e.set(e.name("user_id"), Items.s(intoUserId));
        e.set(e.name("updated_at"), Items.n(now.getEpochSecond()));
        return e.toUpdate(users.table(), Items.key(Keys.profile(domain, intoUserId), Items.string(appItem, "sk")));
    }

    private void writeProfile(Transaction tx, String domain, String appId, Plan plan, List<StoredIdentity> assigned,
                              LoginIntent.Identified intent, String newProfileName, boolean pinning,
                              Optional<Map<String, AttributeValue>> anon, Instant now) {
        long nowSeconds = now.getEpochSecond();
        if (plan.newProfile()) {
            Map<String, AttributeValue> extra = new HashMap<>();
            Map<String, AttributeValue> fields = new HashMap<>();
            intent.fields().forEach((k, v) -> fields.put(k, Items.s(v)));
            extra.put("fields", Items.m(fields));
            // The profile remembers which apps pinned a security hash, so that erasing it finds the pins.
            extra.put("pins", Items.m(pinning ? Map.of(appId, Items.bool(true)) : Map.of()));
            extra.put("identity_history", Items.l(IdentityWrites.movedInHistory(plan, nowSeconds)));
            anon.ifPresent(a -> {
                for (String map : MERGED_MAPS) {
                    extra.put(map, Items.m(Items.map(a, map)));
                }
            });
            tx.put(Guard.CLAIM, users.newProfile(domain, plan.userId(), false, newProfileName, assigned, extra, nowSeconds));
            return;
        }
        ExpressionBuilder e = users.profileUpdate();
        e.set(e.name("last_login_at"), Items.n(nowSeconds));
        e.set(e.name("updated_at"), Items.n(nowSeconds));
        IdentityWrites.onProfile(e, assigned, plan, nowSeconds);
        intent.fields().forEach((k, v) -> e.set(e.path("fields", k), Items.s(v)));
        if (pinning) {
            e.set(e.path("pins", appId), Items.bool(true));
        }
        if (intent.displayName() != null) {
            e.set(e.name("display_name"), Items.s(intent.displayName()));
        }
        anon.ifPresent(a -> {
            // Merge keeps what the identified user already has: the anonymous value only fills gaps.
            for (String map : MERGED_MAPS) {
                Items.map(a, map).forEach((k, v) -> e.setIfAbsent(e.path(map, k), v));
            }
        });
        tx.update(Guard.PROFILE, e.toUpdate(users.table(), users.profileKey(domain, plan.userId())));
    }

    private software.amazon.awssdk.services.dynamodb.model.Update markMerged(String domain, String anonymousId, String intoUserId) {
        ExpressionBuilder e = users.profileUpdate();
        e.set(e.name("merged_into"), Items.s(intoUserId));
        e.condition("attribute_not_exists(" + e.name("merged_into") + ")");
        return e.toUpdate(users.table(), users.profileKey(domain, anonymousId));
    }

    /**
     * The device moves to the new session: its previous session and the one named in the
     * Authorization header end in the same transaction (log out then log in, as one step). The
     * named session ends only if it is this app's (its key is under this app) and this device's:
     * a token of someone else's session cannot be used to log them out.
     */
    private void writeDeviceAndSessions(Transaction tx, AppConfig app, LoginCommand command, LoginState state,
                                        IssuedSession issued, String userId, String anonymousUserId, boolean endNamedSession) {
        tx.update(Guard.DEVICE, users.advanceDevice(app.appId(), command.deviceId(), state.device(),
                issued.sessionKey(), userId, anonymousUserId, issued.session().createdAt().getEpochSecond()));
        String previous = state.device().sessionKey();
        if (previous != null) {
            tx.delete(Guard.NONE, sessions.deleteSession(previous));
        }
        command.replacingSessionToken()
                .filter(token -> endNamedSession && SessionTokens.appIdOf(token).filter(app.appId()::equals).isPresent())
                .map(token -> Keys.session(app.appId(), SessionStore.tokenHash(token)))
                .filter(key -> !key.equals(previous))
                .ifPresent(key -> tx.delete(Guard.NAMED_SESSION, sessions.deleteSessionOfDevice(key, command.deviceId())));
        tx.put(Guard.SESSION, sessions.newSession(issued.session(), issued.tokenHash()));
        tx.put(Guard.NONE, users.sessionPointer(app.domainId(), userId, issued.sessionKey(), SessionStore.ttlOf(issued.session())));
    }

    private static void failIfFinal(GuardFailedException failed) {
        if (failed.failed().contains(Guard.DEVICE)) {
            throw Problem.of(Reason.LOGIN_IN_PROGRESS).reject();
        }
        if (failed.failed().contains(Guard.JTI)) {
            throw Problem.token(TokenFailureCause.REPLAYED).reject();
        }
        if (failed.failed().contains(Guard.PIN)) {
            throw Problem.of(Reason.SECURITY_HASH_MISMATCH).reject();
        }
    }

    /** Concurrent first logins of one person collide on its claims; spread their retries apart. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 25L * (attempt + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    private LoginResult success(IssuedSession issued, Plan plan, List<StoredIdentity> assigned, Profile stored,
                                String displayName) {
        Map<String, Identity> identities = new LinkedHashMap<>();
        if (stored != null) {
            stored.identities().forEach(i -> identities.put(i.identity().profileKey(), i.identity()));
        }
        assigned.forEach(i -> identities.put(i.identity().profileKey(), i.identity()));
        List<String> notMoved = plan.conflicts().stream().map(c -> c.identity().identifier()).toList();
        return new LoginResult.Success(issued.token(), issued.session(),
                new LoginResult.UserView(plan.userId(), false, displayName, List.copyOf(identities.values())), notMoved);
    }

    // ---- anonymous login ---------------------------------------------------------------------

    /**
     * The same anonymous user for the same device across empty-token logins, until the device
     * logs in with an identity: that login clears the device's anonymous user (Helpshift SDK).
     */
    private LoginResult loginAnonymously(AppConfig app, LoginCommand command, Instant now) {
        String domain = app.domainId();
        boolean forceNew = false;
        boolean endNamedSession = true;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            LoginState state = users.readLoginState(domain, app.appId(), List.of(), command.deviceId(), null);
            String existing = forceNew ? null : state.device().anonymousUserId();
            String userId = existing != null ? existing : Hashing.randomId();
            String newName = DisplayNames.anonymous();
            IssuedSession issued = IssuedSession.create(app, userId, command.deviceId(), true, false, now);
            Transaction tx = new Transaction();
            if (existing == null) {
                tx.put(Guard.PROFILE, users.newProfile(domain, userId, true, newName, List.of(), Map.of(), now.getEpochSecond()));
            } else {
                tx.check(Guard.PROFILE, ConditionCheck.builder().tableName(users.table())
                        .key(users.profileKey(domain, userId))
                        .conditionExpression(UserStore.LIVE_PROFILE + " AND attribute_not_exists(merged_into)")
                        .build());
            }
            writeDeviceAndSessions(tx, app, command, state, issued, userId, userId, endNamedSession);
            CompletableFuture<Optional<Profile>> profileRead = existing == null
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.supplyAsync(() -> users.findProfile(domain, userId), parallel);
            try {
                tx.commit(dynamo);
            } catch (GuardFailedException failed) {
                failIfFinal(failed);
                forceNew = forceNew || failed.failed().contains(Guard.PROFILE);
                endNamedSession = endNamedSession && !failed.failed().contains(Guard.NAMED_SESSION);
                backOff(attempt);
                continue;
            }
            String displayName = Futures.join(profileRead).map(Profile::displayName).orElse(newName);
            return new LoginResult.Success(issued.token(), issued.session(),
                    new LoginResult.UserView(userId, true, displayName, List.of()), List.of());
        }
        throw Problem.of(Reason.LOGIN_IN_PROGRESS).reject();
    }

    /** A new session: 256-bit random token shown once, kept only as its SHA-256. */
    record IssuedSession(String token, String tokenHash, String sessionKey, Session session) {
        static IssuedSession create(AppConfig app, String userId, String deviceId, boolean anonymous, boolean fullPrivacy, Instant now) {
            String token = SessionTokens.newToken(app.appId());
            String hash = SessionStore.tokenHash(token);
            Instant start = Instant.ofEpochSecond(now.getEpochSecond());
            Instant expires = start.plus(app.settings().sessionLifetime());
            Instant refresh = expires.minus(app.settings().refreshNotice());
            if (refresh.isBefore(start)) {
                refresh = start;
            }
            Session session = new Session(Hashing.randomId(), app.appId(), app.domainId(), userId, deviceId, start, expires, refresh, anonymous, fullPrivacy);
            return new IssuedSession(token, hash, Keys.session(app.appId(), hash), session);
        }
    }

}
