package io.userhub.shared.store;

import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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
public final class AppStore {
    static final String CONFIG = "CONFIG";

    private final DynamoDbClient dynamo;
    private final String table;

    public AppStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String appKey(String appId) {
        return "APP#" + appId;
    }

    public Optional<AppConfig> find(String appId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(Items.key(appKey(appId), CONFIG)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toConfig(item));
    }

    /** Creates an app; fails if the id is taken. Secrets are stored for HMAC; API keys only hashed. */
    public void create(AppConfig app) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(appKey(app.appId()), CONFIG));
        item.put("app_id", Items.s(app.appId()));
        item.put("domain_id", Items.s(app.domainId()));
        item.put("identity_enabled", Items.bool(app.identityEnabled()));
        Map<String, AttributeValue> keys = new HashMap<>();
        app.keyRing().forEach(k -> keys.put(k.kid(), keyItem(k)));
        item.put("keys", Items.m(keys));
        Map<String, AttributeValue> apiKeys = new HashMap<>();
        app.apiKeyHashes().forEach(h -> apiKeys.put(h, Items.s("ACTIVE")));
        item.put("api_keys", Items.m(apiKeys));
        item.put("settings", settingsItem(app.settings()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("app " + app.appId() + " already exists", e);
        }
    }

    /** Adds a key to the ring; per-key update, so concurrent rotations never drop each other's keys. */
    public void addKey(String appId, SigningKey key) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET #keys.#kid = :key")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(#keys.#kid)")
                .expressionAttributeNames(Map.of("#keys", "keys", "#kid", key.kid()))
                .expressionAttributeValues(Map.of(":key", keyItem(key)))
                .build());
    }

    /** Adds an API key by its SHA-256; the key itself is shown once by whoever created it. */
    public void addApiKey(String appId, String apiKeyHash) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Items.key(appKey(appId), CONFIG))
                .updateExpression("SET #api.#hash = :active")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#api", "api_keys", "#hash", apiKeyHash))
                .expressionAttributeValues(Map.of(":active", Items.s("ACTIVE")))
                .build());
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
        return Items.m(Map.of(
                "alg", Items.s(key.alg()),
                "secret", Items.s(key.secret()),
                "status", Items.s(key.status().name()),
                "created_at", Items.n(key.createdAt())));
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
        return Items.m(m);
    }

    static AppConfig toConfig(Map<String, AttributeValue> item) {
        List<SigningKey> keys = new ArrayList<>();
        Items.map(item, "keys").forEach((kid, v) -> keys.add(new SigningKey(kid,
                v.m().get("alg").s(),
                v.m().get("secret").s(),
                SigningKey.Status.valueOf(v.m().get("status").s()),
                Long.parseLong(v.m().get("created_at").n()))));
        List<String> apiKeyHashes = Items.map(item, "api_keys").entrySet().stream()
                .filter(e -> "ACTIVE".equals(e.getValue().s()))
                .map(Map.Entry::getKey)
                .toList();
        return new AppConfig(
                Items.string(item, "app_id"),
                Items.string(item, "domain_id"),
                Items.flag(item, "identity_enabled"),
                keys,
                apiKeyHashes,
                toSettings(Items.map(item, "settings")));
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
                m.containsKey("updates_per_minute") ? Items.number(m, "updates_per_minute").intValue() : d.updatesPerMinute());
    }

    private static Duration seconds(Map<String, AttributeValue> m, String name, Duration fallback) {
        Long value = Items.number(m, name);
        return value == null ? fallback : Duration.ofSeconds(value);
    }
}
