package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.UserIdVerification;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Apps table: one item per app ({@code pk = APP#<appId>, sk = CONFIG}) holding the key ring,
 * API key hashes and settings, so that a cold function loads an app in one GetItem.
 */
@WritesItems({ItemType.APP_CONFIG, ItemType.APP_REGISTRY, ItemType.DOMAIN})
public final class AppStore implements io.userhub.shared.port.SessionRevocations {
    static final String CONFIG = "CONFIG";

    private final DynamoDbClient dynamo;
    private final String table;
    private final io.userhub.shared.crypto.SecretSeal seal;

    /** Secrets as stored (tests, and tools that never read or write a signing secret). */
    public AppStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, io.userhub.shared.crypto.SecretSeal.NONE);
    }

    /** @param seal seals the HS signing secrets it writes and opens those it reads */
    public AppStore(DynamoDbClient dynamo, String table, io.userhub.shared.crypto.SecretSeal seal) {
        this.dynamo = dynamo;
        this.table = table;
        this.seal = seal;
    }

    static String appKey(String appId) {
        return "APP#" + appId;
    }

    public Optional<AppConfig> find(String appId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(Items.key(appKey(appId), CONFIG)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toConfig(item, seal));
    }

    static final String REGISTRY = "REGISTRY";

    /** Creates an app; fails if the id is taken. Secrets are stored for HMAC; API keys only hashed. */
    public void create(AppConfig app) {
        create(app, false);
    }

    /**
     * Creates an app and its registry entry (so apps can be listed with a Query, never a Scan);
     * with {@code requireDomain}, only inside an existing domain.
     */
    public void create(AppConfig app, boolean requireDomain) {
        Map<String, AttributeValue> item = configItem(sealed(app));
        Transaction tx = new Transaction()
                .put(Guard.NONE, Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(pk)").build())
                .put(Guard.NONE, Put.builder().tableName(table).item(Map.of(
                        "pk", Items.s(REGISTRY), "sk", Items.s(appKey(app.appId())),
                        "app_id", Items.s(app.appId()), "domain_id", Items.s(app.domainId()))).build());
        if (requireDomain) {
            tx.check(Guard.PROFILE, ConditionCheck.builder().tableName(table).key(Items.key(domainKey(app.domainId()), "DOMAIN"))
                    .conditionExpression("attribute_exists(pk)").build());
        }
        try {
            tx.commit(dynamo);
        } catch (GuardFailedException e) {
            throw new IllegalStateException(e.failed().contains(Guard.PROFILE)
                    ? "domain " + app.domainId() + " does not exist (create-domain first)"
                    : "app " + app.appId() + " already exists", e);
        }
    }

    /** The app's item as create writes it (the SnapStart priming answers it too). */
    static Map<String, AttributeValue> configItem(AppConfig app) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(appKey(app.appId()), CONFIG));
        item.put("app_id", Items.s(app.appId()));
        item.put("domain_id", Items.s(app.domainId()));
        item.put("identity_enabled", Items.bool(app.identityEnabled()));
        Map<String, AttributeValue> keys = new HashMap<>();
        app.keyRing().forEach(k -> keys.put(k.kid(), keyItem(k)));
        item.put("keys", Items.m(keys));
        Map<String, AttributeValue> apiKeys = new HashMap<>();
        app.apiKeyHashes().forEach(h -> apiKeys.put(h.substring(0, 12), apiKeyItem(h, 0)));
        item.put("api_keys", Items.m(apiKeys));
        item.put("settings", settingsItem(app.settings()));
        return item;
    }

    static String domainKey(String domainId) {
        return "DOMAIN#" + domainId;
    }

    /** @return false if the domain already existed */
    public boolean createDomain(String domainId, String name, long now) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(Map.of(
                            "pk", Items.s(domainKey(domainId)), "sk", Items.s("DOMAIN"),
                            "domain_id", Items.s(domainId), "name", Items.s(name), "created_at", Items.n(now)))
                    .conditionExpression("attribute_not_exists(pk)").build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** Every app, from the registry partition. */
    public List<AppConfig> listApps() {
        List<AppConfig> apps = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :registry")
                        .expressionAttributeValues(Map.of(":registry", Items.s(REGISTRY))).consistentRead(true))
                .items().forEach(entry -> find(Items.string(entry, "app_id")).ifPresent(apps::add));
        return apps;
    }

    /** Key ids and API key ids with their status and creation time, never a secret or hash. */
    public Map<String, AttributeValue> rawConfig(String appId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(Items.key(appKey(appId), CONFIG)).consistentRead(true).build()).item();
        return item == null ? Map.of() : item;
    }

    /** Adds a key to the ring; per-key update, so concurrent rotations never drop each other's keys. */
    public void addKey(String appId, SigningKey key) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET #keys.#kid = :key")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(#keys.#kid)")
                .expressionAttributeNames(Map.of("#keys", "keys", "#kid", key.kid()))
                .expressionAttributeValues(Map.of(":key", keyItem(sealed(appId, key))))
                .build());
    }

    /**
     * Seals every HS secret of the app still stored as it is (a stack given its key after the app
     * was made), each with a conditional update on the value it replaces. @return how many
     */
    public int sealSecrets(String appId) {
        if (!seal.seals()) {
            throw new IllegalStateException("no key to seal with: set SECRETS_KMS_KEY_ID (or SECRETS_LOCAL_KEY_FILE locally)");
        }
        int sealed = 0;
        for (Map.Entry<String, AttributeValue> key : Items.map(rawConfig(appId), "keys").entrySet()) {
            String secret = key.getValue().m().get("secret").s();
            boolean shared = key.getValue().m().get("alg").s().startsWith("HS");
            if (!shared || io.userhub.shared.crypto.SecretSeal.isSealed(secret)) {
                continue;
            }
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                        .updateExpression("SET #keys.#kid.#secret = :sealed")
                        .conditionExpression("#keys.#kid.#secret = :plain")
                        .expressionAttributeNames(Map.of("#keys", "keys", "#kid", key.getKey(), "#secret", "secret"))
                        .expressionAttributeValues(Map.of(":sealed", Items.s(seal.seal(secret, appId + "/" + key.getKey())),
                                ":plain", Items.s(secret)))
                        .build());
                sealed++;
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException changedMeanwhile) {
                // sealed by a concurrent run, or the key replaced: nothing of this value is left in clear
            }
        }
        return sealed;
    }

    /**
     * Adds an API key by its SHA-256, under an id (the first 12 hex digits of the hash) by which
     * it can be revoked; the key itself is shown once by whoever created it.
     * @return the key id
     */
    public String addApiKey(String appId, String apiKeyHash) {
        String keyId = apiKeyHash.substring(0, 12);
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET #api.#id = :key")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#api", "api_keys", "#id", keyId))
                .expressionAttributeValues(Map.of(":key", apiKeyItem(apiKeyHash, System.currentTimeMillis() / 1000)))
                .build());
        return keyId;
    }

    public void revokeApiKey(String appId, String keyId) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET #api.#id.#status = :revoked")
                .conditionExpression("attribute_exists(#api.#id)")
                .expressionAttributeNames(Map.of("#api", "api_keys", "#id", keyId, "#status", "status"))
                .expressionAttributeValues(Map.of(":revoked", Items.s("REVOKED")))
                .build());
    }

    public void setIdentityEnabled(String appId, boolean enabled) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET identity_enabled = :enabled")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":enabled", Items.bool(enabled)))
                .build());
    }

    private static AttributeValue apiKeyItem(String hash, long createdAt) {
        return Items.m(Map.of("hash", Items.s(hash), "status", Items.s("ACTIVE"), "created_at", Items.n(createdAt)));
    }

    public void retireKey(String appId, String kid) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET #keys.#kid.#status = :retired")
                .conditionExpression("attribute_exists(#keys.#kid)")
                .expressionAttributeNames(Map.of("#keys", "keys", "#kid", kid, "#status", "status"))
                .expressionAttributeValues(Map.of(":retired", Items.s(SigningKey.Status.RETIRED.name())))
                .build());
    }

    public void putSettings(String appId, AppSettings settings) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET settings = :settings")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":settings", settingsItem(settings)))
                .build());
    }

    private static AttributeValue keyItem(SigningKey key) {
        Map<String, AttributeValue> m = new HashMap<>(Map.of(
                "alg", Items.s(key.alg()),
                "secret", Items.s(key.secret()),
                "status", Items.s(key.status().name()),
                "created_at", Items.n(key.createdAt())));
        if (key.notBefore() != null) m.put("not_before", Items.n(key.notBefore()));
        if (key.retireAt() != null) m.put("retire_at", Items.n(key.retireAt()));
        return Items.m(m);
    }

    /** Sets (or, with null, removes) the URL of the app's JWK Set. */
    public void setJwksUrl(String appId, String url) {
        UpdateItemRequest.Builder update = UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .conditionExpression("attribute_exists(pk)");
        if (url == null) {
            update.updateExpression("REMOVE jwks_url");
        } else {
            update.updateExpression("SET jwks_url = :url").expressionAttributeValues(Map.of(":url", Items.s(url)));
        }
        dynamo.updateItem(update.build());
    }

    /**
     * Ends every session of the app issued before {@code before} (epoch s), for an incident: one
     * attribute of the app's item, read with the app by every function, so it takes effect within
     * the app cache's lifetime and costs one write whatever the number of sessions. It only ever
     * moves forward: an earlier instant than the one set already ends nothing more.
     *
     * @return the instant in force after the call
     * @throws io.userhub.shared.validation.Rejection APP_NOT_FOUND for an unknown app
     */
    @Override
    public long revokeSessionsBefore(String appId, long before) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                    .updateExpression("SET sessions_revoked_before = :before")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(sessions_revoked_before)"
                            + " OR sessions_revoked_before < :before)")
                    .expressionAttributeValues(Map.of(":before", Items.n(before)))
                    .returnValuesOnConditionCheckFailure(software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return before;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException notLater) {
            if (!notLater.hasItem() || notLater.item().isEmpty()) {
                throw io.userhub.shared.validation.Problem.of(io.userhub.shared.validation.Reason.APP_NOT_FOUND).reject();
            }
            return Long.parseLong(notLater.item().get("sessions_revoked_before").n());
        }
    }

    /** Sets a key's window (per key and per attribute, so it never overwrites a concurrent change to another key). */
    public void scheduleKey(String appId, String kid, Long notBefore, Long retireAt) {
        List<String> sets = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (notBefore != null) {
            sets.add("#keys.#kid.not_before = :from");
            values.put(":from", Items.n(notBefore));
        }
        if (retireAt != null) {
            sets.add("#keys.#kid.retire_at = :until");
            values.put(":until", Items.n(retireAt));
        }
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET " + String.join(", ", sets))
                .conditionExpression("attribute_exists(#keys.#kid)")
                .expressionAttributeNames(Map.of("#keys", "keys", "#kid", kid))
                .expressionAttributeValues(values)
                .build());
    }

    static AttributeValue settingsItem(AppSettings s) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("session_lifetime_s", Items.n(s.sessionLifetime().toSeconds()));
        m.put("refresh_notice_s", Items.n(s.refreshNotice().toSeconds()));
        m.put("token_max_age_s", Items.n(s.identityTokenMaxAge().toSeconds()));
        m.put("clock_skew_s", Items.n(s.clockSkew().toSeconds()));
        m.put("anonymous_policy", Items.s(s.anonymousPolicy().name()));
        m.put("login_modes", Items.l(s.loginModes().stream().map(mode -> Items.s(mode.name())).toList()));
        Map<String, AttributeValue> schema = new HashMap<>();
        s.customFieldSchema().forEach((k, v) -> schema.put(k, Items.s(v)));
        m.put("custom_fields", Items.m(schema));
        m.put("blocked_values", Items.l(s.blockedValues().stream().map(Items::s).toList()));
        m.put("updates_per_minute", Items.n(s.updatesPerMinute()));
        m.put("user_id_verification", Items.s(s.userIdVerification().name()));
        m.put("verification", Items.s(s.verification().name()));
        m.put("sunshine_compatibility", Items.bool(s.sunshineCompatibility()));
        m.put("anonymous_inactivity_s", Items.n(s.anonymousInactivity().toSeconds()));
        m.put("new_anonymous_devices_per_ip_per_hour", Items.n(s.newAnonymousDevicesPerIpPerHour()));
        m.put("require_verified_email", Items.bool(s.requireVerifiedEmail()));
        m.put("signed_only_keys", Items.l(s.signedOnlyKeys().stream().sorted().map(Items::s).toList()));
        m.put("allowed_origins", Items.l(s.allowedOrigins().stream().sorted().map(Items::s).toList()));
        Map<String, AttributeValue> limits = new HashMap<>();
        s.rules().limits().forEach((identifier, limit) -> limits.put(identifier, Items.n(limit)));
        m.put("rules", Items.m(Map.of(
                "sticky", Items.l(s.rules().sticky().stream().sorted().map(Items::s).toList()),
                "limits", Items.m(limits),
                "priority", Items.l(s.rules().priority().stream().map(Items::s).toList()))));
        return Items.m(m);
    }

    /** The app with its HS secrets sealed, as it is written. */
    private AppConfig sealed(AppConfig app) {
        if (!seal.seals()) {
            return app;
        }
        List<SigningKey> ring = app.keyRing().stream().map(key -> sealed(app.appId(), key)).toList();
        return new AppConfig(app.appId(), app.domainId(), app.identityEnabled(), ring, app.apiKeyHashes(), app.settings(),
                app.jwksUrl(), app.sessionsRevokedBefore(), app.webhookTypes());
    }

    private SigningKey sealed(String appId, SigningKey key) {
        return key.isSharedSecret() && !io.userhub.shared.crypto.SecretSeal.isSealed(key.secret())
                ? new SigningKey(key.kid(), key.alg(), seal.seal(key.secret(), appId + "/" + key.kid()), key.status(), key.createdAt(),
                key.notBefore(), key.retireAt())
                : key;
    }

    /**
     * A key as the functions may use it. A retired key's secret is not opened (it verifies
     * nothing: no KMS call for it). A sealed secret this seal cannot open makes the key retired
     * with no secret at all: it never verifies or signs, and its sealed text, which any reader
     * of the table has, never stands in for the secret.
     */
    private static SigningKey opened(String appId, String kid, Map<String, AttributeValue> v, io.userhub.shared.crypto.SecretSeal seal) {
        SigningKey.Status status = SigningKey.Status.valueOf(v.get("status").s());
        String stored = v.get("secret").s();
        String secret;
        if (status == SigningKey.Status.RETIRED && io.userhub.shared.crypto.SecretSeal.isSealed(stored)) {
            secret = "";
        } else {
            try {
                secret = seal.open(stored, appId + "/" + kid);
            } catch (io.userhub.shared.crypto.SecretSeal.Unopenable noKey) {
                secret = "";
                status = SigningKey.Status.RETIRED;
            }
        }
        return new SigningKey(kid, v.get("alg").s(), secret, status, Long.parseLong(v.get("created_at").n()),
                Items.number(v, "not_before"), Items.number(v, "retire_at"));
    }

    static AppConfig toConfig(Map<String, AttributeValue> item) {
        return toConfig(item, io.userhub.shared.crypto.SecretSeal.NONE);
    }

    static AppConfig toConfig(Map<String, AttributeValue> item, io.userhub.shared.crypto.SecretSeal seal) {
        List<SigningKey> keys = new ArrayList<>();
        String appId = Items.string(item, "app_id");
        Items.map(item, "keys").forEach((kid, v) -> keys.add(opened(appId, kid, v.m(), seal)));
        List<String> apiKeyHashes = Items.map(item, "api_keys").values().stream()
                .filter(v -> v.hasM() && "ACTIVE".equals(v.m().get("status").s()))
                .map(v -> v.m().get("hash").s())
                .toList();
        return new AppConfig(
                Items.string(item, "app_id"),
                Items.string(item, "domain_id"),
                Items.flag(item, "identity_enabled"),
                keys,
                apiKeyHashes,
                toSettings(Items.map(item, "settings")),
                Items.string(item, "jwks_url"),
                java.util.Optional.ofNullable(Items.number(item, "sessions_revoked_before")).orElse(0L),
                webhookTypes(item));
    }

    /** Each event type's count of enabled endpoints that want it, one attribute per type. */
    private static final String WEBHOOK_WANTS = "webhook_wants:";

    private static Set<String> webhookTypes(Map<String, AttributeValue> item) {
        Set<String> types = new java.util.TreeSet<>();
        item.forEach((name, value) -> {
            if (name.startsWith(WEBHOOK_WANTS) && value.n() != null && Long.parseLong(value.n()) > 0) {
                types.add(name.substring(WEBHOOK_WANTS.length()));
            }
        });
        return types;
    }

    /**
     * The app's counts of endpoints per wanted event type, changed by {@code deltas}: a part of the
     * transaction that adds, changes or removes an endpoint, so the counts never drift from the endpoints.
     */
    public software.amazon.awssdk.services.dynamodb.model.Update webhookWantsChange(String appId, Map<String, Integer> deltas) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Integer> delta : new java.util.TreeMap<>(deltas).entrySet()) {
            names.put("#w" + i, WEBHOOK_WANTS + delta.getKey());
            values.put(":w" + i, Items.n(delta.getValue()));
            adds.add("#w" + i + " :w" + i);
            i++;
        }
        return software.amazon.awssdk.services.dynamodb.model.Update.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("ADD " + String.join(", ", adds))
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    private static AppSettings toSettings(Map<String, AttributeValue> m) {
        AppSettings d = AppSettings.defaults();
        if (m.isEmpty()) {
            return d;
        }
        Set<LoginMode> modes = m.containsKey("login_modes")
                ? m.get("login_modes").l().stream().map(v -> LoginMode.valueOf(v.s()))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(LoginMode.class)))
                : d.loginModes();
        Map<String, String> schema = new HashMap<>();
        Items.map(m, "custom_fields").forEach((k, v) -> schema.put(k, v.s()));
        List<String> blocked = m.containsKey("blocked_values")
                ? m.get("blocked_values").l().stream().map(AttributeValue::s).toList()
                : d.blockedValues();
        return new AppSettings(
                seconds(m, "session_lifetime_s", d.sessionLifetime()),
                seconds(m, "refresh_notice_s", d.refreshNotice()),
                seconds(m, "token_max_age_s", d.identityTokenMaxAge()),
                seconds(m, "clock_skew_s", d.clockSkew()),
                m.containsKey("anonymous_policy") ? AnonymousPolicy.valueOf(m.get("anonymous_policy").s()) : d.anonymousPolicy(),
                modes,
                schema,
                blocked,
                m.containsKey("updates_per_minute") ? Items.number(m, "updates_per_minute").intValue() : d.updatesPerMinute(),
                m.containsKey("user_id_verification") ? UserIdVerification.valueOf(m.get("user_id_verification").s()) : d.userIdVerification(),
                m.containsKey("verification") ? io.userhub.shared.model.SignedModeVerification.valueOf(m.get("verification").s()) : d.verification(),
                rules(Items.map(m, "rules")),
                Items.flag(m, "sunshine_compatibility"),
                seconds(m, "anonymous_inactivity_s", d.anonymousInactivity()),
                m.containsKey("new_anonymous_devices_per_ip_per_hour")
                        ? Items.number(m, "new_anonymous_devices_per_ip_per_hour").intValue() : d.newAnonymousDevicesPerIpPerHour(),
                Items.flag(m, "require_verified_email"),
                m.containsKey("signed_only_keys")
                        ? m.get("signed_only_keys").l().stream().map(AttributeValue::s).collect(Collectors.toSet()) : Set.of(),
                m.containsKey("allowed_origins")
                        ? m.get("allowed_origins").l().stream().map(AttributeValue::s).collect(Collectors.toSet()) : Set.of());
    }

    private static io.userhub.shared.model.ResolutionRules rules(Map<String, AttributeValue> r) {
        if (r.isEmpty()) {
            return io.userhub.shared.model.ResolutionRules.DEFAULT;
        }
        Map<String, Integer> limits = new HashMap<>();
        Items.map(r, "limits").forEach((identifier, limit) -> limits.put(identifier, Integer.parseInt(limit.n())));
        return new io.userhub.shared.model.ResolutionRules(
                r.containsKey("sticky") ? r.get("sticky").l().stream().map(AttributeValue::s).collect(Collectors.toSet()) : Set.of(),
                limits,
                r.containsKey("priority") ? r.get("priority").l().stream().map(AttributeValue::s).toList() : List.of());
    }

    private static Duration seconds(Map<String, AttributeValue> m, String name, Duration fallback) {
        Long value = Items.number(m, name);
        return value == null ? fallback : Duration.ofSeconds(value);
    }
}
