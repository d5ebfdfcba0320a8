package io.userhub.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.UserIdVerification;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.store.Items;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator does to apps, as plain Java over the Apps table. Secrets (signing secrets,
 * API keys) appear once, in the output of the command that creates them.
 */
public final class OperatorCommands {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> FIELD_TYPES = Set.of("single-line", "multi-line", "number", "date", "dropdown", "checkbox");

    private final AppStore apps;
    private final io.userhub.shared.store.KeyUses keyUses;
    private final Clock clock;
    private final io.userhub.shared.store.AuditTrail audit;
    private final io.userhub.shared.event.EventSubscriber events;

    /**
     * @param keyUses where the functions note each key's last day of use (null: show-app leaves it out)
     * @param audit   read back by the audit command (null: no audit trail, and changes are not recorded)
     * @param events  where key and settings changes are reported (the audit writer)
     */
    public OperatorCommands(AppStore apps, io.userhub.shared.store.KeyUses keyUses, io.userhub.shared.store.AuditTrail audit,
                            io.userhub.shared.event.EventSubscriber events, Clock clock) {
        this.apps = apps;
        this.keyUses = keyUses;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** A change made: one record in the app's audit trail (values that are secrets never appear, only their ids). */
    private void recordChange(String appId, io.userhub.shared.audit.AuditKind kind, Map<String, Object> details) {
        if (audit != null) {
            io.userhub.shared.event.DomainEvent event = kind == io.userhub.shared.audit.AuditKind.KEY_CHANGED
                    ? new io.userhub.shared.event.DomainEvent.KeyChanged(appId, null, clock.instant(), details)
                    : new io.userhub.shared.event.DomainEvent.SettingsChanged(appId, null, clock.instant(), details);
            events.on(io.userhub.shared.event.EventBatch.of(event));
        }
    }

    private static Map<String, Object> change(String action, Object... namesAndValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", action);
        details.put("by", "operator");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                details.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return details;
    }

    /**
     * The app's audit records (or a person's, with {@code userId}), oldest first, every page up to
     * {@code max} records.
     */
    public List<ObjectNode> auditRecords(String appId, String userId, String kinds, String since, int max) {
        AppConfig app = requireApp(appId);
        java.util.Set<io.userhub.shared.audit.AuditKind> wanted = EnumSet.allOf(io.userhub.shared.audit.AuditKind.class);
        if (kinds != null) {
            wanted = EnumSet.noneOf(io.userhub.shared.audit.AuditKind.class);
            for (String name : kinds.split(",")) {
                wanted.add(io.userhub.shared.audit.AuditKind.fromWireName(name.trim()).orElseThrow(() -> new OperatorException(
                        "--kind takes " + Arrays.stream(io.userhub.shared.audit.AuditKind.values()).map(k -> k.wireName()).toList())));
            }
        }
        java.time.Instant from = since == null ? clock.instant().minus(audit.retention()) : java.time.Instant.ofEpochSecond(instant("since", since));
        List<io.userhub.shared.audit.AuditRecord> records = new ArrayList<>();
        java.util.Optional<String> cursor = java.util.Optional.empty();
        do {
            io.userhub.shared.port.AuditQueries.Page page = userId == null
                    ? audit.appRecords(appId, wanted, from, cursor, 100, Runnable::run)
                    : audit.userRecords(app.domainId(), userId, wanted, from, cursor, 100);
            records.addAll(page.records());
            cursor = page.nextCursor();
        } while (cursor.isPresent() && records.size() < max);
        com.fasterxml.jackson.databind.node.ArrayNode rendered = Json.MAPPER.createArrayNode();
        io.userhub.functions.audit.AuditHandler.renderRecords(rendered, records.subList(0, Math.min(max, records.size())));
        List<ObjectNode> lines = new ArrayList<>();
        rendered.forEach(node -> lines.add((ObjectNode) node));
        return lines;
    }

    public ObjectNode createDomain(String domainId, String name) {
        requireId("domain", domainId);
        boolean created = apps.createDomain(domainId, name == null ? domainId : name, clock.instant().getEpochSecond());
        if (!created) {
            throw new OperatorException("domain " + domainId + " already exists");
        }
        return Json.object().put("domain_id", domainId).put("created", true);
    }

    /** A new app with one HS256 key and one API key, both shown here and never again. */
    public ObjectNode createApp(String domainId, String appId, boolean identityEnabled) {
        requireId("domain", domainId);
        requireId("app", appId);
        SigningKey key = newKey("HS256");
        String apiKey = newApiKey();
        try {
            apps.create(new AppConfig(appId, domainId, identityEnabled, List.of(key), List.of(Hashing.sha256Hex(apiKey)),
                    AppSettings.defaults()), true);
        } catch (IllegalStateException e) {
            throw new OperatorException(e.getMessage());
        }
        return Json.object().put("app_id", appId).put("domain_id", domainId).put("identity_enabled", identityEnabled)
                .put("kid", key.kid()).put("alg", key.alg()).put("secret", key.secret())
                .put("api_key_id", Hashing.sha256Hex(apiKey).substring(0, 12)).put("api_key", apiKey);
    }

    public List<ObjectNode> listApps() {
        List<ObjectNode> lines = new ArrayList<>();
        for (AppConfig app : apps.listApps()) {
            lines.add(describe(app.appId()));
        }
        return lines;
    }

    /** An app as stored, without secrets or hashes. */
    public ObjectNode describe(String appId) {
        Map<String, AttributeValue> item = apps.rawConfig(appId);
        if (item.isEmpty()) {
            throw new OperatorException("app " + appId + " not found");
        }
        AppConfig app = apps.find(appId).orElseThrow();
        ObjectNode out = Json.object().put("app_id", appId).put("domain_id", app.domainId()).put("identity_enabled", app.identityEnabled());
        ArrayNode keys = out.putArray("keys");
        Map<String, Long> lastUsed = keyUses == null ? Map.of() : keyUses.lastUsedDays(appId, app.keyRing().stream().map(SigningKey::kid).toList());
        app.keyRing().stream().sorted(java.util.Comparator.comparing(SigningKey::kid)).forEach(k -> {
            ObjectNode key = keys.addObject().put("kid", k.kid()).put("alg", k.alg()).put("status", k.status().name().toLowerCase(Locale.ROOT));
            if (k.notBefore() != null) key.put("not_before", java.time.Instant.ofEpochSecond(k.notBefore()).toString());
            if (k.retireAt() != null) key.put("retire_at", java.time.Instant.ofEpochSecond(k.retireAt()).toString());
            key.put("usable_now", k.usableAt(clock.instant()));
            Long lastUsedDay = lastUsed.get(k.kid());
            // Day granularity: the functions write a key's use at most once a day.
            key.put("last_used", lastUsedDay == null ? null : java.time.LocalDate.ofEpochDay(lastUsedDay).toString());
        });
        if (app.jwksUrl() != null) {
            out.put("jwks_url", app.jwksUrl());
        }
        ArrayNode apiKeys = out.putArray("api_keys");
        new TreeMap<>(Items.map(item, "api_keys")).forEach((id, v) -> apiKeys.addObject().put("id", id)
                .put("status", v.m().get("status").s().toLowerCase(Locale.ROOT)));
        AppSettings s = app.settings();
        ObjectNode settings = out.putObject("settings");
        settings.put("session_lifetime", s.sessionLifetime().toString()).put("refresh_notice", s.refreshNotice().toString())
                .put("token_max_age", s.identityTokenMaxAge().toString()).put("clock_skew", s.clockSkew().toString())
                .put("anonymous_policy", s.anonymousPolicy().name().toLowerCase(Locale.ROOT))
                .put("updates_per_minute", s.updatesPerMinute());
        settings.set("login_modes", Json.MAPPER.valueToTree(s.loginModes().stream().map(m -> m.name().toLowerCase(Locale.ROOT)).sorted().toList()));
        settings.put("user_id_verification", s.userIdVerification().name().toLowerCase(Locale.ROOT));
        settings.put("verification", s.verification().name().toLowerCase(Locale.ROOT));
        settings.put("sunshine_compatibility", s.sunshineCompatibility());
        settings.put("anonymous_inactivity", s.anonymousInactivity().toString());
        settings.put("new_anonymous_devices_per_ip_per_hour", s.newAnonymousDevicesPerIpPerHour());
        settings.put("require_verified_email", s.requireVerifiedEmail());
        settings.set("signed_only_keys", Json.MAPPER.valueToTree(new java.util.TreeSet<>(s.signedOnlyKeys())));
        settings.set("allowed_origins", Json.MAPPER.valueToTree(new java.util.TreeSet<>(s.allowedOrigins())));
        ObjectNode rules = settings.putObject("resolution_rules");
        rules.set("sticky", Json.MAPPER.valueToTree(new java.util.TreeSet<>(s.rules().sticky())));
        rules.set("identifier_limits", Json.MAPPER.valueToTree(new TreeMap<>(s.rules().limits())));
        rules.set("priority", Json.MAPPER.valueToTree(s.rules().priority()));
        if (s.verification() != io.userhub.shared.model.SignedModeVerification.REQUIRED) {
            out.withArray("warnings").add("verification is " + s.verification().name().toLowerCase(Locale.ROOT) + ": the signed modes"
                    + " accept unsigned identities, in the unverified namespace only; set --verification required once your"
                    + " apps sign every login (the UnverifiedLogins metric and the audit trail's verified=false logins show the rest)");
        }
        if (s.allows(LoginMode.USER_ID) && s.userIdVerification() == UserIdVerification.NONE) {
            out.withArray("warnings").add("user_id login mode is on without --user-id-verification hmac: anyone who knows or"
                    + " guesses a user id logs in as that user id's unverified profile (never a signed or imported one);"
                    + " require a security_hash with --user-id-verification hmac");
        }
        if (s.sunshineCompatibility()) {
            out.withArray("warnings").add("sunshine compatibility is on: external-id JWTs need no iat, may carry exp as a string"
                    + " or use scope appUser + userId, and exp is their only time bound, so a stolen token can be replayed until"
                    + " its exp, or forever without one; the audit trail's sunshine_compatibility logins show which tokens still"
                    + " need it (set --sunshine-compatibility off once they all carry iat)");
        }
        settings.set("custom_fields", Json.MAPPER.valueToTree(new TreeMap<>(s.customFieldSchema())));
        settings.set("blocked_values", Json.MAPPER.valueToTree(s.blockedValues()));
        return out;
    }

    /**
     * Adds a key; tokens signed with older keys keep working until those keys are retired. HS keys
     * get a new secret (shown once); RS256/ES256 keys take the PEM public key of the backend's pair.
     */
    public ObjectNode addKey(String appId, String alg, String publicKeyPem) {
        requireApp(appId);
        String algorithm = alg == null ? "HS256" : alg.toUpperCase(Locale.ROOT);
        if (Set.of("RS256", "ES256").contains(algorithm)) {
            if (publicKeyPem == null) {
                throw new OperatorException(algorithm + " keys need --public-key-file (PEM, the backend keeps the private key)");
            }
            try {
                io.userhub.shared.token.PublicKeys.parse(publicKeyPem, algorithm.equals("RS256") ? "RSA" : "EC");
            } catch (IllegalArgumentException e) {
                throw new OperatorException(e.getMessage());
            }
            SigningKey key = new SigningKey("k-" + Hashing.randomId().substring(0, 12), algorithm, publicKeyPem.trim(),
                    SigningKey.Status.ACTIVE, clock.millis());
            apps.addKey(appId, key);
            recordChange(appId, io.userhub.shared.audit.AuditKind.KEY_CHANGED, change("key_added", "kid", key.kid(), "alg", key.alg()));
            return Json.object().put("app_id", appId).put("kid", key.kid()).put("alg", key.alg());
        }
        if (!Set.of("HS256", "HS384", "HS512").contains(algorithm)) {
            throw new OperatorException("unsupported algorithm " + alg + " (HS256, HS384, HS512, RS256, ES256)");
        }
        SigningKey key = newKey(algorithm);
        apps.addKey(appId, key);
        recordChange(appId, io.userhub.shared.audit.AuditKind.KEY_CHANGED, change("key_added", "kid", key.kid(), "alg", key.alg()));
        return Json.object().put("app_id", appId).put("kid", key.kid()).put("alg", key.alg()).put("secret", key.secret());
    }

    /** Retires a key: its tokens fail with UNKNOWN_KEY from then on. The last active key needs --force. */
    public ObjectNode retireKey(String appId, String kid, boolean force) {
        AppConfig app = requireApp(appId);
        if (app.keyRing().stream().noneMatch(k -> k.kid().equals(kid) && k.isActive())) {
            throw new OperatorException("no active key " + kid + " in app " + appId);
        }
        if (app.keyRing().stream().filter(SigningKey::isActive).count() == 1 && !force) {
            throw new OperatorException("key " + kid + " is the app's last active key: add a key first, or pass --force");
        }
        apps.retireKey(appId, kid);
        recordChange(appId, io.userhub.shared.audit.AuditKind.KEY_CHANGED, change("key_retired", "kid", kid, "forced", force));
        return Json.object().put("app_id", appId).put("kid", kid).put("status", "retired");
    }

    /**
     * Plans a key's window: it verifies and signs only from {@code notBefore} and until
     * {@code retireAt} (either may be null to leave it open). A rotation can then be set up in
     * advance: add the new key with a start, give the old one the same time as its end.
     */
    public ObjectNode scheduleKey(String appId, String kid, String notBefore, String retireAt) {
        AppConfig app = requireApp(appId);
        if (app.keyRing().stream().noneMatch(k -> k.kid().equals(kid))) {
            throw new OperatorException("no key " + kid + " in app " + appId);
        }
        Long from = instant("not-before", notBefore);
        Long until = instant("retire-at", retireAt);
        if (from == null && until == null) {
            throw new OperatorException("give --not-before and/or --retire-at (ISO-8601, e.g. 2026-12-24T09:00:00Z)");
        }
        if (from != null && until != null && from >= until) {
            throw new OperatorException("--retire-at must come after --not-before");
        }
        apps.scheduleKey(appId, kid, from, until);
        recordChange(appId, io.userhub.shared.audit.AuditKind.KEY_CHANGED, change("key_scheduled", "kid", kid,
                "not_before", from == null ? null : java.time.Instant.ofEpochSecond(from).toString(),
                "retire_at", until == null ? null : java.time.Instant.ofEpochSecond(until).toString()));
        ObjectNode out = Json.object().put("app_id", appId).put("kid", kid);
        if (from != null) out.put("not_before", java.time.Instant.ofEpochSecond(from).toString());
        if (until != null) out.put("retire_at", java.time.Instant.ofEpochSecond(until).toString());
        return out;
    }

    /**
     * Has the app take the keys of a JWK Set published at {@code url} (HTTPS; plain HTTP only on
     * the loopback interface, for local testing) besides its own ring; an empty url removes it.
     */
    public ObjectNode setJwks(String appId, String url) {
        requireApp(appId);
        if (url == null || url.isEmpty()) {
            apps.setJwksUrl(appId, null);
            recordChange(appId, io.userhub.shared.audit.AuditKind.KEY_CHANGED, change("jwks_url_removed"));
            return Json.object().put("app_id", appId).putNull("jwks_url");
        }
        if (!io.userhub.shared.jwks.Jwks.acceptableUrl(url)) {
            throw new OperatorException("--url must be an https:// URL (http:// only on 127.0.0.1 or localhost)");
        }
        apps.setJwksUrl(appId, url);
        recordChange(appId, io.userhub.shared.audit.AuditKind.KEY_CHANGED, change("jwks_url_set", "jwks_url", url));
        return Json.object().put("app_id", appId).put("jwks_url", url);
    }

    private static Long instant(String option, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value).getEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            throw new OperatorException("--" + option + " must be an ISO-8601 instant such as 2026-12-24T09:00:00Z");
        }
    }

    public ObjectNode createApiKey(String appId) {
        requireApp(appId);
        String apiKey = newApiKey();
        String id = apps.addApiKey(appId, Hashing.sha256Hex(apiKey));
        recordChange(appId, io.userhub.shared.audit.AuditKind.SETTINGS_CHANGED, change("api_key_created", "api_key_id", id));
        return Json.object().put("app_id", appId).put("api_key_id", id).put("api_key", apiKey);
    }

    public ObjectNode revokeApiKey(String appId, String apiKeyId) {
        requireApp(appId);
        try {
            apps.revokeApiKey(appId, apiKeyId);
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            throw new OperatorException("no API key " + apiKeyId + " in app " + appId);
        }
        recordChange(appId, io.userhub.shared.audit.AuditKind.SETTINGS_CHANGED, change("api_key_revoked", "api_key_id", apiKeyId));
        return Json.object().put("app_id", appId).put("api_key_id", apiKeyId).put("status", "revoked");
    }

    /** Seals the app's HS secrets still stored in clear (a stack given its key after the app was made). */
    public ObjectNode sealSecrets(String appId) {
        requireApp(appId);
        int sealed;
        try {
            sealed = apps.sealSecrets(appId);
        } catch (IllegalStateException noKey) {
            throw new OperatorException(noKey.getMessage());
        }
        recordChange(appId, io.userhub.shared.audit.AuditKind.KEY_CHANGED, change("secrets_sealed", "count", sealed));
        return Json.object().put("app_id", appId).put("secrets_sealed", sealed);
    }

    /** Changes the settings given; the others keep their values. */
    public ObjectNode setSettings(String appId, Map<String, List<String>> options) {
        AppConfig app = requireApp(appId);
        AppSettings s = app.settings();
        Duration lifetime = duration(options, "session-lifetime", s.sessionLifetime());
        Duration notice = duration(options, "refresh-notice", s.refreshNotice());
        Duration maxAge = duration(options, "token-max-age", s.identityTokenMaxAge());
        Duration skew = duration(options, "clock-skew", s.clockSkew());
        if (!notice.minus(lifetime).isNegative()) {
            throw new OperatorException("refresh-notice must be shorter than session-lifetime");
        }
        AnonymousPolicy policy = one(options, "anonymous-policy").map(v -> enumValue(AnonymousPolicy.class, v, "anonymous-policy"))
                .orElse(s.anonymousPolicy());
        Set<LoginMode> modes = one(options, "login-modes").map(v -> {
            EnumSet<LoginMode> set = EnumSet.noneOf(LoginMode.class);
            Arrays.stream(v.split(",")).map(String::trim).filter(m -> !m.isEmpty())
                    .forEach(m -> set.add(enumValue(LoginMode.class, m, "login-modes")));
            return (Set<LoginMode>) set;
        }).orElse(s.loginModes());
        Map<String, String> schema = new LinkedHashMap<>(s.customFieldSchema());
        for (String field : options.getOrDefault("custom-field", List.of())) {
            String[] parts = field.split("=", 2);
            if (parts.length == 2 && parts[1].equals("none")) {
                schema.remove(parts[0]);
            } else if (parts.length != 2 || !FIELD_TYPES.contains(parts[1]) || parts[0].isBlank()) {
                throw new OperatorException("--custom-field takes key=type with type one of " + FIELD_TYPES + " (or key=none)");
            } else {
                schema.put(parts[0], parts[1]);
            }
        }
        List<String> blocked = one(options, "blocked-values")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(b -> !b.isEmpty()).toList()).orElse(s.blockedValues());
        int updates = one(options, "updates-per-minute").map(v -> positiveInt(v, "updates-per-minute")).orElse(s.updatesPerMinute());
        UserIdVerification verification = one(options, "user-id-verification")
                .map(v -> enumValue(UserIdVerification.class, v, "user-id-verification")).orElse(s.userIdVerification());
        io.userhub.shared.model.SignedModeVerification signedModes = one(options, "verification")
                .map(v -> enumValue(io.userhub.shared.model.SignedModeVerification.class, v, "verification")).orElse(s.verification());
        boolean sunshine = one(options, "sunshine-compatibility").map(v -> bool(v, "sunshine-compatibility"))
                .orElse(s.sunshineCompatibility());
        Duration anonymousInactivity = duration(options, "anonymous-inactivity", s.anonymousInactivity());
        int newAnonymousDevices = one(options, "new-anonymous-devices-per-ip-per-hour")
                .map(v -> positiveInt(v, "new-anonymous-devices-per-ip-per-hour")).orElse(s.newAnonymousDevicesPerIpPerHour());
        apps.putSettings(appId, new AppSettings(lifetime, notice, maxAge, skew, policy, modes, schema, blocked, updates, verification,
                signedModes, rules(options, s.rules()), sunshine, anonymousInactivity, newAnonymousDevices,
                one(options, "require-verified-email").map(v -> bool(v, "require-verified-email")).orElse(s.requireVerifiedEmail()),
                one(options, "signed-only-keys").map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(k -> !k.isEmpty())
                        .collect(java.util.stream.Collectors.toSet())).orElse(s.signedOnlyKeys()),
                one(options, "allowed-origins").map(OperatorCommands::allowedOrigins).orElse(s.allowedOrigins())));
        one(options, "identity-enabled").ifPresent(v -> apps.setIdentityEnabled(appId, bool(v, "identity-enabled")));
        Map<String, Object> changed = change("settings_set");
        options.forEach((name, values) -> {
            if (!List.of("app", "apps-table", "users-table", "sessions-table", "endpoint", "region", "json").contains(name) && !values.isEmpty()) {
                String value = String.join(" ", values);
                changed.put(name.replace('-', '_'), value.length() > 200 ? value.substring(0, 200) + "..." : value);
            }
        });
        recordChange(appId, io.userhub.shared.audit.AuditKind.SETTINGS_CHANGED, changed);
        return describe(appId);
    }

    /** The identity-resolution rules the options change: --sticky, --identifier-limit identifier=n (repeatable), --resolution-priority. */
    static io.userhub.shared.model.ResolutionRules rules(Map<String, List<String>> options, io.userhub.shared.model.ResolutionRules current) {
        Set<String> sticky = one(options, "sticky").map(v -> (Set<String>) new java.util.TreeSet<>(Arrays.stream(v.split(","))
                .map(String::trim).filter(x -> !x.isEmpty() && !x.equals("none")).toList())).orElse(current.sticky());
        Map<String, Integer> limits = new LinkedHashMap<>(current.limits());
        for (String limit : options.getOrDefault("identifier-limit", List.of())) {
            String[] parts = limit.split("=", 2);
            if (parts.length == 2 && parts[1].equals("none")) {
                limits.remove(parts[0]);
                continue;
            }
            if (parts.length != 2 || !parts[1].matches("[0-9]{1,2}")) {
                throw new OperatorException("--identifier-limit takes identifier=n (1 to 30), or identifier=none");
            }
            limits.put(parts[0], Integer.parseInt(parts[1]));
        }
        List<String> priority = one(options, "resolution-priority").map(v -> Arrays.stream(v.split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).toList()).orElse(current.priority());
        Map<String, String> errors = io.userhub.shared.model.ResolutionRules.errors(sticky, limits, priority);
        if (!errors.isEmpty()) {
            throw new OperatorException("resolution rules: " + errors + " (identifiers: "
                    + new java.util.TreeSet<>(io.userhub.shared.model.Identifiers.SUPPORTED) + ", uid excepted)");
        }
        return new io.userhub.shared.model.ResolutionRules(sticky, limits, priority);
    }

    private AppConfig requireApp(String appId) {
        return apps.find(appId).orElseThrow(() -> new OperatorException("app " + appId + " not found"));
    }

    private SigningKey newKey(String alg) {
        return new SigningKey("k-" + Hashing.randomId().substring(0, 12), alg, Hashing.randomToken(), SigningKey.Status.ACTIVE, clock.millis());
    }

    private static String newApiKey() {
        return "uh_" + Hashing.randomToken();
    }

    private static void requireId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new OperatorException(what + " id must be 1-64 of A-Z a-z 0-9 _ -");
        }
        if (io.userhub.shared.config.SnapStartPriming.isReservedAppId(id)) {
            throw new OperatorException(what + " ids starting with " + io.userhub.shared.config.SnapStartPriming.PRIMING_APP_ID
                    + " are reserved for the SnapStart priming");
        }
    }

    private static java.util.Optional<String> one(Map<String, List<String>> options, String name) {
        List<String> values = options.getOrDefault(name, List.of());
        return values.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(values.get(values.size() - 1));
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d)");

    static Duration duration(Map<String, List<String>> options, String name, Duration fallback) {
        return one(options, name).map(v -> {
            Matcher m = DURATION.matcher(v.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new OperatorException("--" + name + " takes a positive duration such as 90s, 30m, 24h or 7d");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }).orElse(fallback);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new OperatorException("--" + option + ": unknown value " + value + " (one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ")");
        }
    }

    static int positiveInt(String value, String option) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw new OperatorException("--" + option + " takes a positive whole number");
    }

    /** --allowed-origins https://shop.example.com,https://www.example.com ("" for none: the stack's list) */
    static Set<String> allowedOrigins(String value) {
        Set<String> origins = io.userhub.shared.http.Cors.origins(value);
        for (String origin : origins) {
            if (!io.userhub.shared.http.Cors.isOrigin(origin)) {
                throw new OperatorException("--allowed-origins takes origins such as https://shop.example.com (scheme, host, port;"
                        + " no path), comma-separated: " + origin);
            }
        }
        return origins;
    }

    /** A switch: true|false, or on|off as the settings' help writes some of them. */
    static boolean bool(String value, String option) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("on")) {
            return true;
        }
        if (value.equalsIgnoreCase("false") || value.equalsIgnoreCase("off")) {
            return false;
        }
        throw new OperatorException("--" + option + " takes true or false (on or off)");
    }
}
