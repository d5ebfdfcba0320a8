package io.userhub.shared.model;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Per-app settings with the defaults of SPEC section 1. */
public record AppSettings(
        Duration sessionLifetime,
        Duration refreshNotice,
        Duration identityTokenMaxAge,
        Duration clockSkew,
        AnonymousPolicy anonymousPolicy,
        Set<LoginMode> loginModes,
        Map<String, String> customFieldSchema,
        List<String> blockedValues,
        int updatesPerMinute,
        UserIdVerification userIdVerification,
        SignedModeVerification verification,
        ResolutionRules rules,
        boolean sunshineCompatibility,
        Duration anonymousInactivity,
        int newAnonymousDevicesPerIpPerHour,
        boolean requireVerifiedEmail,
        Set<String> signedOnlyKeys,
        Set<String> allowedOrigins) {

    /**
     * How long what an anonymous login made (profile, device, its pointer, app data) outlives the
     * device's last activity: Chatwoot drops contacts without an identifier after 30 days.
     */
    public static final Duration DEFAULT_ANONYMOUS_INACTIVITY = Duration.ofDays(30);

    /**
     * New anonymous devices one source IP may make per app and hour: far above one office or
     * mobile carrier's NAT in an hour, far below a script's flood.
     */
    public static final int DEFAULT_NEW_ANONYMOUS_DEVICES_PER_IP_PER_HOUR = 100;

    /** Identity and attribute updates a session may make per minute before RATE_LIMITED. */
    public static final int DEFAULT_UPDATES_PER_MINUTE = 60;

    public AppSettings(Duration sessionLifetime, Duration refreshNotice, Duration identityTokenMaxAge, Duration clockSkew,
                       AnonymousPolicy anonymousPolicy, Set<LoginMode> loginModes, Map<String, String> customFieldSchema,
                       List<String> blockedValues) {
        this(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy, loginModes,
                customFieldSchema, blockedValues, DEFAULT_UPDATES_PER_MINUTE, UserIdVerification.NONE, SignedModeVerification.REQUIRED,
                ResolutionRules.DEFAULT, false, DEFAULT_ANONYMOUS_INACTIVITY, DEFAULT_NEW_ANONYMOUS_DEVICES_PER_IP_PER_HOUR, false, Set.of(), Set.of());
    }

    public AppSettings withUpdatesPerMinute(int limit) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, limit, userIdVerification, verification, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withCustomFieldSchema(Map<String, String> schema) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, schema, blockedValues, updatesPerMinute, userIdVerification, verification, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withAnonymousPolicy(AnonymousPolicy policy) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, policy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withLoginModes(Set<LoginMode> modes) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                modes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withSessionTimes(Duration lifetime, Duration notice) {
        return new AppSettings(lifetime, notice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withUserIdVerification(UserIdVerification userIdVerification) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withVerification(SignedModeVerification signedModes) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, signedModes, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withRules(ResolutionRules resolutionRules) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, resolutionRules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    /**
     * Sunshine Conversations compatibility for external-id JWTs: no iat needed, a decimal-string
     * exp, the older {@code scope: appUser} + {@code userId} form, and exp as the only time bound.
     */
    public AppSettings withSunshineCompatibility(boolean on) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules, on,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    public AppSettings withAnonymousLimits(Duration inactivity, int newDevicesPerIpPerHour) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules,
                sunshineCompatibility, inactivity, newDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    /** Emails claim (and so move and resolve) only when the token says they are verified. */
    public AppSettings withRequireVerifiedEmail(boolean required) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules,
                sunshineCompatibility, anonymousInactivity, newAnonymousDevicesPerIpPerHour, required, signedOnlyKeys, allowedOrigins);
    }

    /**
     * Attribute keys (or custom field names, or {@code tags}) that only the customer's backend sets,
     * through a signed token's {@code attributes}: {@code POST /v1/attributes} refuses to change them.
     */
    public AppSettings withSignedOnlyKeys(Set<String> keys) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules,
                sunshineCompatibility, anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, keys, allowedOrigins);
    }

    /** The web origins the app's widget runs on; browser-facing routes refuse others (empty: the stack's list). */
    public AppSettings withAllowedOrigins(Set<String> origins) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, blockedValues, updatesPerMinute, userIdVerification, verification, rules,
                sunshineCompatibility, anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, origins);
    }

    public AppSettings withBlockedValues(List<String> values) {
        return new AppSettings(sessionLifetime, refreshNotice, identityTokenMaxAge, clockSkew, anonymousPolicy,
                loginModes, customFieldSchema, values, updatesPerMinute, userIdVerification, verification, rules, sunshineCompatibility,
                anonymousInactivity, newAnonymousDevicesPerIpPerHour, requireVerifiedEmail, signedOnlyKeys, allowedOrigins);
    }

    /** Values that broken integrations send for every user (SPEC section 3). */
    public static final List<String> DEFAULT_BLOCKED_VALUES =
            List.of("0", "-1", "null", "undefined", "anonymous", "none", "nil", "n/a", "unknown");

    public AppSettings {
        loginModes = loginModes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(loginModes));
        customFieldSchema = customFieldSchema == null ? Map.of() : Map.copyOf(customFieldSchema);
        blockedValues = blockedValues == null ? DEFAULT_BLOCKED_VALUES : List.copyOf(blockedValues);
        userIdVerification = userIdVerification == null ? UserIdVerification.NONE : userIdVerification;
        verification = verification == null ? SignedModeVerification.REQUIRED : verification;
        rules = rules == null ? ResolutionRules.DEFAULT : rules;
        anonymousInactivity = anonymousInactivity == null ? DEFAULT_ANONYMOUS_INACTIVITY : anonymousInactivity;
        signedOnlyKeys = signedOnlyKeys == null ? Set.of() : Set.copyOf(signedOnlyKeys);
        allowedOrigins = allowedOrigins == null ? Set.of() : Set.copyOf(allowedOrigins);
        newAnonymousDevicesPerIpPerHour = newAnonymousDevicesPerIpPerHour <= 0
                ? DEFAULT_NEW_ANONYMOUS_DEVICES_PER_IP_PER_HOUR : newAnonymousDevicesPerIpPerHour;
    }

    public static AppSettings defaults() {
        return new AppSettings(
                Duration.ofHours(24),
                Duration.ofMinutes(30),
                Duration.ofHours(24),
                Duration.ofSeconds(60),
                AnonymousPolicy.DISCARD,
                EnumSet.of(LoginMode.IDENTITIES_JWT, LoginMode.EXTERNAL_ID_JWT),
                Map.of(),
                DEFAULT_BLOCKED_VALUES,
                DEFAULT_UPDATES_PER_MINUTE,
                UserIdVerification.NONE,
                SignedModeVerification.REQUIRED,
                ResolutionRules.DEFAULT,
                false,
                DEFAULT_ANONYMOUS_INACTIVITY,
                DEFAULT_NEW_ANONYMOUS_DEVICES_PER_IP_PER_HOUR,
                false,
                Set.of(),
                Set.of());
    }

    public boolean allows(LoginMode mode) {
        return loginModes.contains(mode);
    }
}
