package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import io.userhub.shared.port.AttributeWriter;

import io.userhub.shared.model.AttributeChanges;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.TagCap;
import io.userhub.shared.validation.Reason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

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
public final class AttributeStore implements AttributeWriter {
    private final DynamoDbClient dynamo;
    private final String table;

    public AttributeStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** An anonymous user's batch also writes its items' expiry: its app data goes with the profile. */
    @Override
    public boolean apply(String domainId, String userId, String appId, AttributeChanges changes, long now, Long anonymousExpiresAt) {
        TagCap.checkReset(changes);
        // The tag cap is a condition on the write itself, first assuming every added tag is new;
        // only if that fails is the profile read to count exactly.
        int growth = TagCap.assumedGrowth(changes);
        for (int attempt = 0; attempt < 3; attempt++) {
            Update profile = changes.touchesProfile() ? profileUpdate(domainId, userId, changes, now, growth, anonymousExpiresAt) : null;
            Update app = changes.touchesApp() ? appUpdate(domainId, userId, appId, changes, now, anonymousExpiresAt) : null;
            try {
                if (profile != null && app != null) {
                    commitRetryingConflicts(new Transaction().update(Guard.PROFILE, profile).update(Guard.NONE, app));
                } else if (profile != null) {
                    dynamo.updateItem(Transaction.asRequest(profile));
                } else if (app != null) {
                    dynamo.updateItem(Transaction.asRequest(app));
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
            growth = TagCap.growthGiven(current.get(), changes);
        }
        // Concurrent batches kept changing the tag set under this one: the client may retry.
        throw Problem.withDetails(Reason.SERVICE_BUSY, Map.of("retryAfterSeconds", 1)).reject();
    }

    /** The profile's tags, or empty when the profile is gone or being erased. */
    private Optional<Set<String>> currentTags(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(ProfileItem.key(domainId, userId))
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
        ProfileItem.Change profile = ProfileItem.change(domainId, userId);
        if (changes.tagsResetTo().isEmpty() && tagGrowth > 0) {
            profile.tagsAtMost(TagCap.mostBefore(tagGrowth));
        }
        changes.global().forEach(profile::global);
        if (changes.global().get("display_name") instanceof String displayName) {
            profile.displayName(displayName);
        }
        changes.globalCustomFields().forEach(profile::globalCustomField);
        changes.tagsResetTo().ifPresentOrElse(profile::tagsReset, () -> {
            changes.tagsAdded().forEach(profile::tagAdded);
            changes.tagsRemoved().forEach(profile::tagRemoved);
        });
        if (anonymousExpiresAt != null) {
            profile.expiresAt(anonymousExpiresAt);
        }
        return profile.touched(now).toUpdate(table);
    }

    private Update appUpdate(String domainId, String userId, String appId, AttributeChanges changes, long now, Long anonymousExpiresAt) {
        AppDataItem.Change app = AppDataItem.change(domainId, userId, appId);
        changes.app().forEach(app::attribute);
        changes.appCustomFields().forEach(app::customField);
        if (anonymousExpiresAt != null) {
            app.expiresAt(anonymousExpiresAt);
        }
        return app.touched(now).toUpdate(table);
    }
}
