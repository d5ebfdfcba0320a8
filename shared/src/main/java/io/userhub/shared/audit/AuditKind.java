package io.userhub.shared.audit;

import java.util.Locale;
import java.util.Optional;

/** What an audit record tells of; its wire name is the lower-case name ({@code identity_moved}). */
public enum AuditKind {
    /** A login: accepted (one record per login) or refused (one record per reason and minute, with a count). */
    LOGIN,
    /** An identity left one profile for another (a newer assertion won). */
    IDENTITY_MOVED,
    /** An identity stayed where it was although a login or addition asserted it for another profile. */
    IDENTITY_CONFLICT,
    /** An anonymous user's data was carried into an identified user (MERGE policy). */
    MERGE,
    /** A merge or an identity move undone (unmerge). */
    UNMERGE,
    /** A user was erased. */
    USER_ERASED,
    /** A person's sessions were ended by the customer's backend or by an erase (a logout leaves no record). */
    SESSIONS_ENDED,
    /** A signing key, its window or the app's JWK Set URL changed (operator). */
    KEY_CHANGED,
    /** The app's settings or API keys changed (operator). */
    SETTINGS_CHANGED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AuditKind> fromWireName(String name) {
        for (AuditKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
