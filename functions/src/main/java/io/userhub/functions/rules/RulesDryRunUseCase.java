package io.userhub.functions.rules;

import io.userhub.shared.identity.IdentityResolution;
import io.userhub.shared.identity.IdentityResolution.Plan;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.model.Profile;
import io.userhub.shared.model.ResolutionRules;
import io.userhub.shared.port.ProfileReads;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.Rejection;

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

    private final ProfileReads users;

    public RulesDryRunUseCase(ProfileReads users) {
        this.users = users;
    }

    /** The rules and values a run compares: the app's, or the ones proposed. */
    public record RuleSet(ResolutionRules rules, List<String> blockedValues) {}

    /** Each rule given replaces the app's; an absent one keeps it. */
    public record ProposedRules(Optional<Set<String>> sticky, Optional<Map<String, Integer>> limits, Optional<List<String>> priority,
                                Optional<List<String>> blockedValues) {
        public static final ProposedRules NONE = new ProposedRules(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * One sample login: identities as a token's payload holds them (read by the identity rules,
     * but for the app's blocked values), or the refusal that reading them met.
     */
    public record Sample(List<Identity> identities, Problem unreadable, long assertedAt, boolean signed) {}

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

    /** The proposed rules over the app's, checked as the operator's set-settings checks them: a bad one is a 400. */
    public RuleSet proposed(AppConfig app, ProposedRules given) {
        ResolutionRules current = app.settings().rules();
        Set<String> sticky = given.sticky().orElse(current.sticky());
        Map<String, Integer> limits = given.limits().orElse(current.limits());
        List<String> priority = given.priority().orElse(current.priority());
        Map<String, String> errors = new LinkedHashMap<>();
        ResolutionRules.errors(sticky, limits, priority).forEach((field, code) -> errors.put("rules." + field, code));
        if (!errors.isEmpty()) {
            throw Problem.withErrors(Reason.FIELD_INVALID, errors).reject();
        }
        return new RuleSet(new ResolutionRules(sticky, limits, priority), given.blockedValues().orElse(app.settings().blockedValues()));
    }

    public List<Result> run(AppConfig app, RuleSet proposed, List<Sample> samples) {
        RuleSet current = new RuleSet(app.settings().rules(), app.settings().blockedValues());
        Set<Identity> toRead = new LinkedHashSet<>();
        samples.forEach(sample -> toRead.addAll(sample.identities()));
        LoginState claims = users.readClaims(app.domainId(), List.copyOf(toRead));
        Map<String, Optional<Profile>> profiles = new HashMap<>();
        List<Result> results = new ArrayList<>();
        for (Sample sample : samples) {
            results.add(new Result(outcome(app, current, sample, claims, profiles), outcome(app, proposed, sample, claims, profiles)));
        }
        return results;
    }

    private Outcome outcome(AppConfig app, RuleSet rules, Sample sample, LoginState claims, Map<String, Optional<Profile>> profiles) {
        if (sample.unreadable() != null) {
            return new Outcome(sample.unreadable(), null, false, List.of(), List.of());
        }
        try {
            IdentityRules.requireNotBlocked(sample.identities(), rules.blockedValues());
            // As login: an identity said to be unverified is kept, never resolves or moves.
            io.userhub.shared.validation.IdentityVerification.Split split = io.userhub.shared.validation.IdentityVerification
                    .split(sample.identities(), null, app.settings().requireVerifiedEmail());
            io.userhub.shared.validation.IdentityVerification.requireVerifiedUidOrEmail(split);
            IdentityRules.requireWithinLimits(sample.identities(), rules.rules());
            List<Identity> identities = split.verified();
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
