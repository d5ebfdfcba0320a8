package io.userhub.shared.store;

import io.userhub.shared.port.Guard;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One TransactWriteItems call, each item tagged with the {@link Guard} its condition protects,
 * so that a cancellation can be turned into a precise reason instead of "something failed".
 */
public final class Transaction {
    private final List<TransactWriteItem> items = new ArrayList<>();
    private final List<Guard> guards = new ArrayList<>();

    public Transaction put(Guard guard, Put put) {
        return add(guard, TransactWriteItem.builder().put(put).build());
    }

    public Transaction update(Guard guard, Update update) {
        return add(guard, TransactWriteItem.builder().update(update).build());
    }

    public Transaction delete(Guard guard, Delete delete) {
        return add(guard, TransactWriteItem.builder().delete(delete).build());
    }

    public Transaction check(Guard guard, ConditionCheck check) {
        return add(guard, TransactWriteItem.builder().conditionCheck(check).build());
    }

    private Transaction add(Guard guard, TransactWriteItem item) {
        items.add(item);
        guards.add(guard);
        return this;
    }

    /** One update of a transaction sent on its own, as an UpdateItem. */
    static software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest asRequest(Update update) {
        return software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.builder()
                .tableName(update.tableName())
                .key(update.key())
                .updateExpression(update.updateExpression())
                .conditionExpression(update.conditionExpression())
                .expressionAttributeNames(update.expressionAttributeNames())
                .expressionAttributeValues(update.hasExpressionAttributeValues() ? update.expressionAttributeValues() : null)
                .build();
    }

    public int size() {
        return items.size();
    }

    public void commit(DynamoDbClient dynamo) {
        if (items.isEmpty()) {
            return;
        }
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
        } catch (TransactionCanceledException e) {
            Set<Guard> failed = EnumSet.noneOf(Guard.class);
            boolean conflict = false;
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            for (int i = 0; i < reasons.size() && i < guards.size(); i++) {
                String code = reasons.get(i).code();
                if ("ConditionalCheckFailed".equals(code)) {
                    failed.add(guards.get(i));
                } else if ("TransactionConflict".equals(code)) {
                    failed.add(guards.get(i));
                    conflict = true;
                }
            }
            if (failed.isEmpty()) {
                throw e;
            }
            throw new GuardFailedException(failed, conflict);
        }
    }
}
