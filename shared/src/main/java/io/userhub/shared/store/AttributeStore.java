package io.userhub.shared.store;

import io.userhub.shared.model.AttributeChanges;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a folded attribute batch with per-key update expressions: global attributes, global
 * custom fields and tags are entries of maps in the profile item; app attributes live in the
 * user's app item ({@code sk = APP#<appId>}) as flat {@code a:<key>} / {@code cuf:<key>}
 * attributes, so the item needs no map to exist first. Two devices writing different keys of
 * one user never overwrite each other. One round trip: an UpdateItem, or a two-item transaction.
 */
public final class AttributeStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public AttributeStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Sort-key prefix of a user's item for one app, in the user's partition. */
    public static final String APP_ITEM_PREFIX = "APP#";

    public static String appItemSortKey(String appId) {
        return APP_ITEM_PREFIX + appId;
    }

    /**
     * @return false when the profile no longer exists (nothing was written)
     * @throws io.userhub.shared.validation.Rejection TAGS_LIMIT_EXCEEDED when the profile would hold
     *         more than {@link Limits#PROFILE_TAGS_MAX} tags (nothing was written)
     */
    public boolean apply(String domainId, String userId, String appId, AttributeChanges changes, long now) {
        return apply(domainId, userId, appId, changes, now, null);
    }

    /**
     * @param anonymousExpiresAt for an anonymous user's batch: the items it writes live until then
     *                           (its activity pushes the profile's expiry back, and its app data
     *                           goes with the profile); null for an identified user
     */
    public boolean apply(String domainId, String userId, String appId, AttributeChanges changes, long now, Long anonymousExpiresAt) {
        changes.tagsResetTo().ifPresent(tags -> requireTagRoom(tags.size(), 0, tags.size()));
        // The tag cap is a condition on the write itself (size(tags) <= cap - growth), first
        // assuming every added tag is new and no removed one exists; only if that fails is the
        // profile read to count exactly.
        int growth = changes.tagsAdded().size();
        for (int attempt = 0; attempt < 3; attempt++) {
            Update profile = changes.touchesProfile() ? profileUpdate(domainId, userId, changes, now, growth, anonymousExpiresAt) : null;
            Update app = changes.touchesApp() ? appUpdate(domainId, userId, appId, changes, now, anonymousExpiresAt) : null;
            try {
                if (profile != null && app != null) {
                    commitRetryingConflicts(new Transaction().update(Guard.PROFILE, profile).update(Guard.NONE, app));
                } else if (profile != null) {
                    dynamo.updateItem(toRequest(profile));
                } else if (app != null) {
                    dynamo.updateItem(toRequest(app));
                }
                return true;
            } catch (ConditionalCheckFailedException refused) {
                // falls through to the check below
            } catch (GuardFailedException failed) {
                if (!failed.failed().contains(Guard.PROFILE) || failed.conflict()) {
                    throw failed;
                }
            }
            Optional<Set<String>> current = currentTags(domainId, userId);
            if (current.isEmpty() || growth <= 0) {
                return false;
            }
            Set<String> existing = current.get();
            Set<String> resulting = new HashSet<>(existing);
            resulting.addAll(changes.tagsAdded());
            resulting.removeAll(changes.tagsRemoved());
            requireTagRoom(resulting.size(), existing.size(), changes.tagsAdded().size());
            growth = resulting.size() - existing.size();
        }
        // Concurrent batches kept changing the tag set under this one: the client may retry.
        throw Problem.withDetails(Reason.SERVICE_BUSY, Map.of("retryAfterSeconds", 1)).reject();
    }

    private static void requireTagRoom(int resulting, int current, int adding) {
        if (resulting > Limits.PROFILE_TAGS_MAX) {
            throw Problem.withDetails(Reason.TAGS_LIMIT_EXCEEDED, Map.of(
                    "currentTags", current, "addingTags", adding, "maxTagsAllowed", Limits.PROFILE_TAGS_MAX)).reject();
        }
    }

    /** The profile's tags, or empty when the profile is gone or being erased. */
    private Optional<Set<String>> currentTags(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(Items.key(Keys.profile(domainId, userId), Keys.PROFILE))
                .projectionExpression("pk, tags, erased_at").consistentRead(true).build()).item();
        if (item == null || item.isEmpty() || item.containsKey("erased_at")) {
            return Optional.empty();
        }
        return Optional.of(Items.map(item, "tags").keySet());
    }

    /**
     * DynamoDB cancels a transaction that meets another one on the same item (TransactionConflict);
     * two devices' batches for one user do, and both must land, so the write is simply repeated.
     */
    private void commitRetryingConflicts(Transaction tx) {
        for (int attempt = 1; ; attempt++) {
            try {
                tx.commit(dynamo);
                return;
            } catch (GuardFailedException failed) {
                if (!failed.conflict() || attempt == 5) {
                    throw failed;
                }
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failed;
                }
            }
        }
    }

    private Update profileUpdate(String domainId, String userId, AttributeChanges changes, long now, int tagGrowth,
                                 Long anonymousExpiresAt) {
        ExpressionBuilder e = new ExpressionBuilder().condition(UserStore.LIVE_PROFILE);
        if (changes.tagsResetTo().isEmpty() && tagGrowth > 0) {
            String tags = e.name("tags");
            e.condition("(attribute_not_exists(" + tags + ") OR size(" + tags + ") <= "
                    + e.value(Items.n(Math.max(0, Limits.PROFILE_TAGS_MAX - tagGrowth))) + ")");
        }
        changes.global().forEach((key, value) -> e.set(e.path("global", key), toValue(value)));
        if (changes.global().get("display_name") instanceof String displayName) {
            e.set(e.name("display_name"), Items.s(displayName));
        }
        changes.globalCustomFields().forEach((key, value) -> e.set(e.path("global_cuf", key), Items.s(value)));
        changes.tagsResetTo().ifPresentOrElse(tags -> {
            Map<String, AttributeValue> set = new HashMap<>();
            tags.forEach(tag -> set.put(tag, Items.bool(true)));
            e.set(e.name("tags"), Items.m(set));
        }, () -> {
            changes.tagsAdded().forEach(tag -> e.set(e.path("tags", tag), Items.bool(true)));
            changes.tagsRemoved().forEach(tag -> e.remove(e.path("tags", tag)));
        });
        e.set(e.name("updated_at"), Items.n(now));
        if (anonymousExpiresAt != null) {
            e.set(e.name("ttl"), Items.n(anonymousExpiresAt));
        }
        return e.toUpdate(table, Items.key(Keys.profile(domainId, userId), Keys.PROFILE));
    }

    private Update appUpdate(String domainId, String userId, String appId, AttributeChanges changes, long now, Long anonymousExpiresAt) {
        ExpressionBuilder e = new ExpressionBuilder();
        changes.app().forEach((key, value) -> e.set(e.name("a:" + key), Items.s(value)));
        changes.appCustomFields().forEach((key, value) -> e.set(e.name("cuf:" + key), Items.s(value)));
        e.set(e.name("app_id"), Items.s(appId));
        e.set(e.name("user_id"), Items.s(userId));
        e.set(e.name("updated_at"), Items.n(now));
        if (anonymousExpiresAt != null) {
            e.set(e.name("ttl"), Items.n(anonymousExpiresAt));
        }
        return e.toUpdate(table, Items.key(Keys.profile(domainId, userId), appItemSortKey(appId)));
    }

    private static AttributeValue toValue(Object value) {
        return value instanceof Long number ? Items.n(number) : Items.s(String.valueOf(value));
    }

    private static UpdateItemRequest toRequest(Update update) {
        return UpdateItemRequest.builder()
                .tableName(update.tableName())
                .key(update.key())
                .updateExpression(update.updateExpression())
                .conditionExpression(update.conditionExpression())
                .expressionAttributeNames(update.expressionAttributeNames())
                .expressionAttributeValues(update.hasExpressionAttributeValues() ? update.expressionAttributeValues() : null)
                .build();
    }
}
