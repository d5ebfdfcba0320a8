package io.userhub.shared.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An app's identity-resolution rules, read by {@code IdentityResolution} for logins, identity
 * additions and the rules' dry run alike (one piece of code per rule).
 *
 * @param sticky   identifiers that never move to another profile: a newer signed assertion is a
 *                 conflict instead (a uid never moves whatever the rules say)
 * @param limits   at most this many values of an identifier in one assertion, and on a profile
 *                 through identity addition
 * @param priority without a uid, the identifiers whose claim decides the profile, in order: the
 *                 first one claimed wins, the others move or conflict (default: email)
 */
public record ResolutionRules(Set<String> sticky, Map<String, Integer> limits, List<String> priority) {
    public static final ResolutionRules DEFAULT = new ResolutionRules(Set.of(), Map.of(), List.of(Identity.EMAIL));
    public static final int LIMIT_MAX = 30;

    public ResolutionRules {
        sticky = sticky == null ? Set.of() : Set.copyOf(sticky);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
        priority = priority == null || priority.isEmpty() ? List.of(Identity.EMAIL) : List.copyOf(priority);
    }

    /** Whether a newer signed assertion may take this identity from the profile that holds it. */
    public boolean movable(Identity identity) {
        return !identity.isUid() && !sticky.contains(identity.identifier());
    }

    /** An identifier whose values in these identities exceed its limit: the identifier, the limit and the count. */
    public record Excess(String identifier, int limit, int count) {}

    public Optional<Excess> excess(List<Identity> identities) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        identities.forEach(i -> counts.merge(i.identifier(), 1, Integer::sum));
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            Integer limit = limits.get(count.getKey());
            if (limit != null && count.getValue() > limit) {
                return Optional.of(new Excess(count.getKey(), limit, count.getValue()));
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with rules as given, by field ({@code sticky}, {@code limits.<identifier>},
     * {@code priority}): identifiers must be supported ones other than uid, limits 1 to 30.
     */
    public static Map<String, String> errors(Set<String> sticky, Map<String, Integer> limits, List<String> priority) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (String identifier : sticky) {
            if (!Identifiers.isSupported(identifier) || Identity.isUidIdentifier(identifier)) {
                errors.put("sticky", "UNSUPPORTED_IDENTIFIER");
            }
        }
        limits.forEach((identifier, limit) -> {
            if (!Identifiers.isSupported(identifier)) {
                errors.put("limits." + identifier, "UNSUPPORTED_IDENTIFIER");
            } else if (limit == null || limit < 1 || limit > LIMIT_MAX) {
                errors.put("limits." + identifier, "INVALID_VALUE");
            }
        });
        List<String> seen = new ArrayList<>();
        for (String identifier : priority) {
            if (!Identifiers.isSupported(identifier) || Identity.isUidIdentifier(identifier) || seen.contains(identifier)) {
                errors.put("priority", "UNSUPPORTED_IDENTIFIER");
            }
            seen.add(identifier);
        }
        return errors;
    }
}
