package io.userhub.functions.users;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Claim;
import io.userhub.shared.port.Commit;
import io.userhub.shared.port.Guard;
import io.userhub.shared.identity.UnmergePlan;
import io.userhub.shared.port.MergeLineages;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Undoes a merge: the identities a login or an addition moved onto the user go back to the
 * profiles they came from, and for the MERGE policy the anonymous user is restored and the
 * attributes the merge filled in leave the user. Refused, with the reason, where a later change
 * makes it unsafe: an identity that moved again or was asserted anew, a previous owner erased or
 * merged away, a merge already undone. An attribute the user has changed since is kept (and said so).
 */
public final class UnmergeUseCase {
    private static final java.util.regex.Pattern MERGE_ID = java.util.regex.Pattern.compile("[0-9a-f]{16}");

    private final MergeLineages lineages;
    private final Clock clock;
    private final EventSubscriber events;

    /** @param events hear of each undo once it committed (its audit record was part of the undo's transaction) */
    public UnmergeUseCase(MergeLineages lineages, Clock clock, EventSubscriber events) {
        this.lineages = lineages;
        this.clock = clock;
        this.events = events;
    }

    /** What an undo restored, and the merged attributes it left because they changed since. */
    public record Unmerged(String mergeId, String userId, List<MergeLineages.MovedIdentity> restored, String restoredAnonymousUserId,
                           List<String> attributesRemoved, List<String> attributesKept) {}

    public Unmerged unmerge(AppConfig app, String userId, String mergeId) {
        UserAdminUseCase.requireUserId(userId);
        if (mergeId == null || !MERGE_ID.matcher(mergeId).matches()) {
            throw Problem.withErrors(Reason.FIELD_INVALID, Map.of("merge_id", mergeId == null ? ErrorCode.MISSING.name()
                    : ErrorCode.INVALID_VALUE.name())).reject();
        }
        String domain = app.domainId();
        MergeLineages.Lineage lineage = lineages.find(domain, userId, mergeId)
                .orElseThrow(() -> Problem.of(Reason.MERGE_NOT_FOUND).reject());
        if (lineage.undoneAt() != null) {
            throw refused("ALREADY_UNDONE", Map.of("undone_at", Instant.ofEpochSecond(lineage.undoneAt()).toString()));
        }
        Map<String, Claim> claims = lineages.claims(domain, lineage.moves().stream().map(MergeLineages.MovedIdentity::identity).toList());
        for (MergeLineages.MovedIdentity moved : lineage.moves()) {
            Claim claim = claims.get(moved.identity().profileKey());
            if (claim == null || !claim.userId().equals(userId) || claim.assertedAt() != moved.toAssertedAt()) {
                // It moved on, or was asserted anew since: putting it back would undo a later change.
                throw refused("IDENTITY_CHANGED_SINCE", Map.of("identifier", moved.identity().identifier()));
            }
            Optional<MergeLineages.ProfileState> previous = lineages.profileState(domain, moved.fromUserId());
            if (previous.isEmpty() || !previous.get().live() || previous.get().mergedInto() != null) {
                throw refused("PREVIOUS_OWNER_GONE", Map.of("user_id", moved.fromUserId()));
            }
        }
        UnmergePlan.AttributeUndo attributes = UnmergePlan.AttributeUndo.NONE;
        if (lineage.anonymous().isPresent()) {
            MergeLineages.MergedAnonymous anonymous = lineage.anonymous().get();
            Optional<MergeLineages.ProfileState> state = lineages.profileState(domain, anonymous.userId());
            if (state.isEmpty() || !state.get().live() || !userId.equals(state.get().mergedInto())) {
                throw refused("PREVIOUS_OWNER_GONE", Map.of("user_id", anonymous.userId()));
            }
            attributes = UnmergePlan.attributeUndo(anonymous.filled(), lineages.carriedAttributesOf(domain, userId));
        }
        Instant now = clock.instant();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("merge_id", mergeId);
        details.put("identities_restored", lineage.moves().size());
        lineage.anonymous().ifPresent(a -> details.put("anonymous_user_id", a.userId()));
        details.put("attributes_removed", attributes.removed().size());
        details.put("attributes_kept", attributes.kept().size());
        DomainEvent.UserUnmerged unmerged = new DomainEvent.UserUnmerged(app.appId(), domain, now, userId, details);
        Commit commit = lineages.undo(new MergeLineages.Undo(domain, lineage, attributes, now.getEpochSecond(), unmerged));
        if (commit instanceof Commit.Refused refusedCommit) {
            if (refusedCommit.failed(Guard.LINEAGE)) {
                throw refused("ALREADY_UNDONE", Map.of());
            }
            throw refused("CHANGED_DURING_UNMERGE", Map.of());
        }
        events.on(new EventBatch(List.of(unmerged), true));
        return new Unmerged(mergeId, userId, lineage.moves(), lineage.anonymous().map(MergeLineages.MergedAnonymous::userId).orElse(null),
                attributes.removed(), attributes.kept());
    }

    private static io.userhub.shared.validation.Rejection refused(String problem, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("problem", problem);
        details.putAll(more);
        return Problem.withDetails(Reason.UNMERGE_REFUSED, details).reject();
    }
}
