package io.userhub.functions.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.identity.IdentityResolution;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.ResolutionRules;
import io.userhub.shared.store.UserStore;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What proposed identity-resolution rules would do to sample logins, next to what the app's
 * current rules do, without writing anything: the samples' claims are read (BatchGetItem, 100
 * keys a call) and each sample goes through the same validation and {@link IdentityResolution}
 * that a login uses, once per rule set.
 */
public final class RulesDryRunUseCase {
    public static final int MAX_SAMPLES = 100;

    private final UserStore users;
    private final Clock clock;

    public RulesDryRunUseCase(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /** The rules and values a run compares: the app's, or the ones proposed. */
    public record RuleSet(ResolutionRules rules, List<String> blockedValues) {}

    /** One sample login: identities as a token's payload holds them, when they were asserted, and whether signed. */
    public record Sample(JsonNode identities, long assertedAt, boolean signed) {}

    /** What one rule set does to a sample: a refusal, or the profile it lands on and what moves or stays. */
    public record Outcome(Problem refusal, String userId, boolean newUser, List<IdentityResolution.Move> moves,
                          List<IdentityResolution.Conflict> conflicts) {
        public boolean sameAs(Outcome other) {
            if (refusal != null || other.refusal != null) {
                return refusal != null && other.refusal != null && refusal.reason() == other.refusal.reason();
            }
            return newUser == other.newUser && (newUser || userId.equals(other.userId))
                    && moves.stream().map(m -> m.identity().profileKey()).toList()
                    .equals(other.moves.stream().map(m -> m.identity().profileKey()).toList())
                    && conflicts.stream().map(c -> c.identity().profileKey()).toList()
                    .equals(other.conflicts.stream().map(c -> c.identity().profileKey()).toList());
        }
    }

    public record Result(Outcome current, Outcome proposed) {
        public boolean changed() {
            return !current.sameAs(proposed);
        }
    }

    /** The request's rules over the app's: each field given replaces the app's, the others stay; bad ones are a 400. */
    public RuleSet proposed(AppConfig app, JsonNode rules) {
        ResolutionRules current = app.settings().rules();
        if (rules == null || rules.isNull()) {
            return new RuleSet(current, app.settings().blockedValues());
        }
        if (!rules.isObject()) {
            throw Problem.field("rules", ErrorCode.INVALID_VALUE_TYPE).reject();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Set<String> sticky = rules.has("sticky") ? new LinkedHashSet<>(strings(rules.get("sticky"), "rules.sticky", errors)) : current.sticky();
        List<String> priority = rules.has("priority") ? strings(rules.get("priority"), "rules.priority", errors) : current.priority();
        List<String> blocked = rules.has("blocked_values") ? strings(rules.get("blocked_values"), "rules.blocked_values", errors)
                : app.settings().blockedValues();
        Map<String, Integer> limits = new LinkedHashMap<>(current.limits());
        JsonNode limitsNode = rules.get("identifier_limits");
        if (limitsNode != null && !limitsNode.isObject()) {
            errors.put("rules.identifier_limits", ErrorCode.INVALID_VALUE_TYPE.name());
        } else if (limitsNode != null) {
            limits.clear();
            limitsNode.fields().forEachRemaining(e -> {
                if (e.getValue().isInt()) {
                    limits.put(e.getKey(), e.getValue().asInt());
                } else {
                    errors.put("rules.identifier_limits." + e.getKey(), ErrorCode.INVALID_VALUE_TYPE.name());
                }
            });
        }
        ResolutionRules.errors(sticky, limits, priority).forEach((field, code) -> errors.put("rules." + field, code));
        if (!errors.isEmpty()) {
            throw Problem.withErrors(Reason.FIELD_INVALID, errors).reject();
        }
        return new RuleSet(new ResolutionRules(sticky, limits, priority), blocked);
    }

    private static List<String> strings(JsonNode node, String field, Map<String, String> errors) {
        List<String> values = new ArrayList<>();
        if (node == null || !node.isArray() || node.size() > 100) {
            errors.put(field, ErrorCode.INVALID_VALUE_TYPE.name());
            return values;
        }
        node.forEach(v -> {
            if (v.isTextual() && !v.asText().isEmpty() && v.asText().length() <= 750) {
                values.add(v.asText());
            } else {
                errors.put(field, ErrorCode.INVALID_VALUE.name());
            }
        });
        return values;
    }

    /** The request's samples: 1 to 100, each an object with {@code identities}; times default to now, signed to true. */
    public List<Sample> samples(JsonNode samples) {
        if (samples == null || samples.isNull()) {
            throw Problem.field("samples", ErrorCode.MISSING).reject();
        }
        if (!samples.isArray() || samples.isEmpty() || samples.size() > MAX_SAMPLES) {
            throw Problem.field("samples", ErrorCode.INVALID_VALUE).reject();
        }
        List<Sample> parsed = new ArrayList<>();
        long now = clock.instant().getEpochSecond();
        for (int i = 0; i < samples.size(); i++) {
            JsonNode sample = samples.get(i);
            JsonNode at = sample.get("asserted_at");
            JsonNode signed = sample.get("signed");
            if (!sample.isObject() || (at != null && !at.canConvertToLong()) || (signed != null && !signed.isBoolean())) {
                throw Problem.field("samples[" + i + "]", ErrorCode.INVALID_VALUE).reject();
            }
            parsed.add(new Sample(sample, at == null ? now : at.asLong(), signed == null || signed.asBoolean()));
        }
        return parsed;
    }

    public List<Result> run(AppConfig app, RuleSet proposed, List<Sample> samples) {
        RuleSet current = new RuleSet(app.settings().rules(), app.settings().blockedValues());
        Set<Identity> toRead = new LinkedHashSet<>();
        for (Sample sample : samples) {
            // Claims are read for what either rule set lets through (blocked values may differ).
            for (RuleSet rules : List.of(current, proposed)) {
                try {
                    List<Identity> identities = IdentityRules.readIdentities(sample.identities(), rules.blockedValues());
                    toRead.addAll(identities);
                } catch (Rejection refused) {
                    // reported per rule set below
                }
            }
        }
        LoginState claims = users.readClaims(app.domainId(), List.copyOf(toRead));
        Map<String, Optional<Profile>> profiles = new HashMap<>();
        List<Result> results = new ArrayList<>();
        for (Sample sample : samples) {
            results.add(new Result(outcome(app, current, sample, claims, profiles), outcome(app, proposed, sample, claims, profiles)));
        }
        return results;
    }

    private Outcome outcome(AppConfig app, RuleSet rules, Sample sample, LoginState claims, Map<String, Optional<Profile>> profiles) {
        try {
            List<Identity> identities = IdentityRules.readIdentities(sample.identities(), rules.blockedValues());
            IdentityRules.requireUidOrEmail(identities);
            IdentityRules.requireWithinLimits(identities, rules.rules());
            Optional<String> adoptable = IdentityResolution.emailOwnerForNewUid(identities, claims)
                    .filter(owner -> profiles.computeIfAbsent(owner, o -> users.findProfile(app.domainId(), o, false))
                            .map(p -> !p.hasUid() && !p.anonymous()).orElse(false));
            Plan plan = IdentityResolution.resolve(identities, claims, sample.assertedAt(), sample.signed(), adoptable,
                    () -> null, rules.rules());
            return new Outcome(null, plan.userId(), plan.newProfile(), plan.moves(), plan.conflicts());
        } catch (Rejection refused) {
            return new Outcome(refused.problem(), null, false, List.of(), List.of());
        }
    }
}
