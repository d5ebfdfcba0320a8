package io.userhub.functions.users;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identifiers;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.store.AttributeStore;
import io.userhub.shared.store.Items;
import io.userhub.shared.store.Keys;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.store.UserStore;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What a customer's backend does with one user: look up by any identity, end all sessions, erase. */
public final class UserAdminUseCase {
    private final UserStore users;
    private final SessionStore sessions;
    private final Clock clock;

    public UserAdminUseCase(Wiring wiring) {
        this.users = new UserStore(wiring.dynamo(), wiring.tables().users());
        this.sessions = new SessionStore(wiring.dynamo(), wiring.tables().sessions());
        this.clock = wiring.clock();
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

    public ObjectNode lookup(AppConfig app, String userId) {
        requireUserId(userId);
        List<Map<String, AttributeValue>> partition = users.userPartition(app.domainId(), userId);
        Map<String, AttributeValue> profile = partition.stream().filter(i -> Keys.PROFILE.equals(Items.string(i, "sk")))
                .findFirst().orElseThrow(() -> Problem.of(Reason.USER_NOT_FOUND).reject());
        Map<String, AttributeValue> appItem = partition.stream()
                .filter(i -> AttributeStore.appItemSortKey(app.appId()).equals(Items.string(i, "sk"))).findFirst().orElse(Map.of());
        ObjectNode body = Json.object();
        ObjectNode user = body.putObject("user");
        user.put("id", userId);
        user.put("anonymous", Items.flag(profile, "anonymous"));
        user.put("display_name", Items.string(profile, "display_name"));
        putEpoch(user, "created_at", Items.number(profile, "created_at"));
        putEpoch(user, "last_login_at", Items.number(profile, "last_login_at"));
        if (Items.string(profile, "merged_into") != null) {
            user.put("merged_into", Items.string(profile, "merged_into"));
        }
        ArrayNode identities = user.putArray("identities");
        // The partition Query already returned the profile item: no second read for its identities.
        UserStore.toProfile(profile).identities().forEach(i -> {
            ObjectNode node = identities.addObject().put("identifier", i.identifier()).put("value", i.value());
            node.set("metadata", Json.MAPPER.valueToTree(i.metadata()));
            node.put("asserted_at", Instant.ofEpochSecond(i.assertedAt()).toString());
        });
        ArrayNode history = user.putArray("identity_history");
        AttributeValue historyList = profile.get("identity_history");
        if (historyList != null && historyList.hasL()) {
            for (AttributeValue entry : historyList.l()) {
                Map<String, AttributeValue> m = entry.m();
                history.addObject().put("action", Items.string(m, "action")).put("identifier", Items.string(m, "identifier"))
                        .put("value", Items.string(m, "value")).put("other_user_id", Items.string(m, "other_user_id"))
                        .put("at", Instant.ofEpochSecond(Items.number(m, "at")).toString());
            }
        }
        user.set("global", Json.MAPPER.valueToTree(plain(Items.map(profile, "global"))));
        user.set("custom_user_fields", Json.MAPPER.valueToTree(plain(Items.map(profile, "global_cuf"))));
        user.set("tags", Json.MAPPER.valueToTree(new TreeMap<>(Items.map(profile, "tags")).keySet()));
        user.set("fields", Json.MAPPER.valueToTree(plain(Items.map(profile, "fields"))));

        ObjectNode appData = body.putObject("app");
        Map<String, Object> attributes = new TreeMap<>();
        Map<String, Object> customFields = new TreeMap<>();
        appItem.forEach((name, value) -> {
            if (name.startsWith("a:")) attributes.put(name.substring(2), value.s());
            if (name.startsWith("cuf:")) customFields.put(name.substring(4), value.s());
        });
        appData.set("attributes", Json.MAPPER.valueToTree(attributes));
        appData.set("custom_user_fields", Json.MAPPER.valueToTree(customFields));

        Instant now = clock.instant();
        ArrayNode active = body.putArray("sessions");
        for (SessionStore.DueSession s : sessions.sessionsOfUser(app.domainId(), userId)) {
            SessionRecord record = s.record();
            boolean live = record.state().live()
                    && record.session().expiresAt() != null && record.session().expiresAt().isAfter(now);
            if (live) {
                ObjectNode node = active.addObject().put("session_id", record.session().sessionId())
                        .put("app_id", record.session().appId()).put("device_id", record.session().deviceId())
                        .put("state", record.state().name().toLowerCase(java.util.Locale.ROOT));
                putEpoch(node, "created_at", record.session().createdAt() == null ? null : record.session().createdAt().getEpochSecond());
                node.put("expires_at", record.session().expiresAt().toString());
                node.put("refresh_at", record.session().refreshAt().toString());
            }
        }
        return body;
    }

    /** Ends every live session of the person, in every app of the domain. */
    public int endSessions(AppConfig app, String userId) {
        requireUserId(userId);
        requireProfile(app, userId);
        Instant now = clock.instant();
        int ended = 0;
        for (SessionStore.DueSession s : sessions.sessionsOfUser(app.domainId(), userId)) {
            if (s.record().state() != io.userhub.shared.model.SessionState.LOGGED_OUT && sessions.markLoggedOut(s.key(), now)) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * Erases a person, linearizably against logins and session routes: first a tombstone on the
     * profile, which every login, identity addition and attribute write onto it checks in its own
     * conditional write, so none commits after it; then one strongly consistent Query of the
     * user's partition finds the session pointer of every login that committed before it (the
     * ByUser index may lag), and those sessions, the identity claims still theirs, the
     * security-hash pins, the app items and the profile go, profile last, so that a failure
     * half-way can be retried. A later login with the same uid creates a new profile.
     */
    public Map<String, Integer> erase(AppConfig app, String userId) {
        requireUserId(userId);
        String domain = app.domainId();
        if (!users.tombstone(domain, userId, clock.instant().getEpochSecond())) {
            throw Problem.of(Reason.USER_NOT_FOUND).reject();
        }
        List<Map<String, AttributeValue>> partition = users.userPartition(domain, userId);
        Map<String, AttributeValue> profile = partition.stream().filter(i -> Keys.PROFILE.equals(Items.string(i, "sk")))
                .findFirst().orElseThrow(() -> Problem.of(Reason.USER_NOT_FOUND).reject());
        Map<String, Integer> deleted = new LinkedHashMap<>();
        java.util.Set<String> sessionKeys = new java.util.LinkedHashSet<>();
        partition.stream().filter(UserAdminUseCase::isSessionPointer).forEach(i -> sessionKeys.add(Items.string(i, "session_key")));
        sessions.sessionsOfUser(domain, userId).forEach(s -> sessionKeys.add(s.key()));
        // A pointer may name a session that a later login on its device already replaced: count what was there.
        deleted.put("sessions", (int) sessionKeys.stream().filter(sessions::deleteSessionNow).count());
        int claims = 0;
        Optional<String> uid = Optional.empty();
        for (AttributeValue stored : Items.map(profile, "identities").values()) {
            Identity identity = new Identity(Items.string(stored.m(), "identifier"), Items.string(stored.m(), "value"), Map.of());
            if (identity.isUid()) {
                uid = Optional.of(identity.value());
            }
            if (users.deleteIf(Items.key(Keys.claim(domain, identity), Keys.CLAIM), "user_id = :user", Map.of(":user", Items.s(userId)))) {
                claims++;
            }
        }
        deleted.put("identities", claims);
        int pins = 0;
        if (uid.isPresent()) {
            for (String pinnedApp : Items.map(profile, "pins").keySet()) {
                if (users.deleteIf(Items.key(Keys.pin(pinnedApp, uid.get()), Keys.PIN), "attribute_exists(pk)", null)) {
                    pins++;
                }
            }
        }
        deleted.put("security_hash_pins", pins);
        int appItems = 0;
        for (Map<String, AttributeValue> item : partition) {
            boolean deletedItem = !Keys.PROFILE.equals(Items.string(item, "sk"))
                    && users.deleteIf(Items.key(Items.string(item, "pk"), Items.string(item, "sk")), "attribute_exists(pk)", null);
            if (deletedItem && !isSessionPointer(item)) {
                appItems++;
            }
        }
        deleted.put("app_data", appItems);
        deleted.put("profile", users.deleteIf(Items.key(Keys.profile(domain, userId), Keys.PROFILE), "attribute_exists(pk)", null) ? 1 : 0);
        return deleted;
    }

    private static boolean isSessionPointer(Map<String, AttributeValue> item) {
        return Items.string(item, "sk").startsWith(UserStore.SESSION_POINTER_PREFIX);
    }

    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[a-f0-9]{32}");

    /** userhub's user ids are 128-bit hex; anything else names nobody (and is never sent to DynamoDB). */
    private static String requireUserId(String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw Problem.of(Reason.USER_NOT_FOUND).reject();
        }
        return userId;
    }

    private void requireProfile(AppConfig app, String userId) {
        if (users.findProfile(app.domainId(), userId).isEmpty()) {
            throw Problem.of(Reason.USER_NOT_FOUND).reject();
        }
    }

    private static Map<String, Object> plain(Map<String, AttributeValue> values) {
        Map<String, Object> plain = new TreeMap<>();
        values.forEach((k, v) -> plain.put(k, v.s() != null ? v.s() : v.n() != null ? (Object) Long.parseLong(v.n()) : v.bool()));
        return plain;
    }

    private static void putEpoch(ObjectNode node, String field, Long epochSeconds) {
        if (epochSeconds != null) {
            node.put(field, Instant.ofEpochSecond(epochSeconds).toString());
        }
    }
}
