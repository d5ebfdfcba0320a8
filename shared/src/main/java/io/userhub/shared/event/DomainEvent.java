package io.userhub.shared.event;

import io.userhub.shared.model.Identity;

import java.time.Instant;
import java.util.Map;

/**
 * What a use case did, as its outcome reports it: the audit trail is written from these (one
 * writer, {@code AuditWriter}), and any other subscriber (the customer's webhooks) reads the same
 * events without a use case knowing it is there. {@code facts} hold only strings, numbers and
 * booleans, never a secret or a raw identity value.
 */
public sealed interface DomainEvent {
    String appId();

    String domainId();

    Instant at();

    /** A login that committed. {@code loginId} names it (an unmerge takes it as {@code merge_id}). */
    record LoginAccepted(String appId, String domainId, Instant at, String loginId, String userId, boolean newUser,
                         Map<String, Object> facts) implements DomainEvent {
        public LoginAccepted {
            facts = Map.copyOf(facts);
        }
    }

    /** A login refused (for the app of its path): {@code facts} say the mode, the reason and, where known, the kid. */
    record LoginRefused(String appId, String domainId, Instant at, Map<String, Object> facts) implements DomainEvent {
        public LoginRefused {
            facts = Map.copyOf(facts);
        }
    }

    /** An identity left one profile for another; {@code place} orders it among what its cause did. */
    record IdentityMoved(String appId, String domainId, Instant at, String causeId, int place, Identity identity,
                         String fromUserId, String toUserId) implements DomainEvent {}

    /** An identity stayed with its owner although it was asserted for another profile. */
    record IdentityConflict(String appId, String domainId, Instant at, String causeId, int place, Identity identity,
                            String ownerUserId, String assertedForUserId) implements DomainEvent {}

    /**
     * An anonymous user's data carried into an identified user by a login (MERGE policy).
     * {@code offered} names the anonymous user's attributes the merge offered (as an unmerge names
     * them: {@code global.<key>}, {@code tags.<tag>}, {@code app.<app>.<key>}, ...): each was carried
     * unless the identified user had a value of its own, which won.
     */
    record UsersMerged(String appId, String domainId, Instant at, String causeId, String fromUserId, String toUserId,
                       java.util.List<String> offered) implements DomainEvent {
        public UsersMerged {
            offered = java.util.List.copyOf(offered);
        }

        public UsersMerged(String appId, String domainId, Instant at, String causeId, String fromUserId, String toUserId) {
            this(appId, domainId, at, causeId, fromUserId, toUserId, java.util.List.of());
        }
    }

    /** A merge or identity move undone. */
    record UserUnmerged(String appId, String domainId, Instant at, String userId, Map<String, Object> facts)
            implements DomainEvent {
        public UserUnmerged {
            facts = Map.copyOf(facts);
        }
    }

    /** A person erased. */
    record UserErased(String appId, String domainId, Instant at, String userId, Map<String, Object> facts)
            implements DomainEvent {
        public UserErased {
            facts = Map.copyOf(facts);
        }
    }

    /**
     * Sessions of a person ended: {@code count} of them, by the session's own logout, by the
     * customer's backend (end-sessions), or with the person (erase).
     */
    record SessionsEnded(String appId, String domainId, Instant at, String userId, int count, Cause cause) implements DomainEvent {
        public enum Cause {
            LOGOUT, END_SESSIONS, ERASE;

            public String wireName() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /** An app's settings, API keys or session revocation changed ({@code facts} say which). */
    record SettingsChanged(String appId, String domainId, Instant at, Map<String, Object> facts) implements DomainEvent {
        public SettingsChanged {
            facts = Map.copyOf(facts);
        }
    }

    /** An app's signing keys, their windows or its JWK Set URL changed. */
    record KeyChanged(String appId, String domainId, Instant at, Map<String, Object> facts) implements DomainEvent {
        public KeyChanged {
            facts = Map.copyOf(facts);
        }
    }
}
