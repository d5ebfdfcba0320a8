package io.userhub.functions.support;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.Set;
import java.util.TreeSet;

/**
 * Records the IAM permission each DynamoDB request needs ("dynamodb:UpdateItem on UsersTable";
 * a transaction needs the action of each of its items; a Query of an index needs the index), so
 * that a test can hold them against the template's policies.
 */
public final class IamActionRecorder implements ExecutionInterceptor {
    private final Set<String> needed = new TreeSet<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof GetItemRequest r) {
            add("GetItem", r.tableName());
        } else if (request instanceof PutItemRequest r) {
            add("PutItem", r.tableName());
        } else if (request instanceof UpdateItemRequest r) {
            add("UpdateItem", r.tableName());
        } else if (request instanceof DeleteItemRequest r) {
            add("DeleteItem", r.tableName());
        } else if (request instanceof QueryRequest r) {
            add("Query", r.indexName() == null ? r.tableName() : r.tableName() + "/index/" + r.indexName());
        } else if (request instanceof ScanRequest r) {
            add("Scan", r.tableName());
        } else if (request instanceof BatchGetItemRequest r) {
            r.requestItems().keySet().forEach(table -> add("BatchGetItem", table));
        } else if (request instanceof software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest r) {
            r.requestItems().keySet().forEach(table -> add("BatchWriteItem", table));
        } else if (request instanceof TransactWriteItemsRequest r) {
            for (TransactWriteItem item : r.transactItems()) {
                if (item.put() != null) add("PutItem", item.put().tableName());
                if (item.update() != null) add("UpdateItem", item.update().tableName());
                if (item.delete() != null) add("DeleteItem", item.delete().tableName());
                if (item.conditionCheck() != null) add("ConditionCheckItem", item.conditionCheck().tableName());
            }
        } else {
            add(request.getClass().getSimpleName().replace("Request", ""), "?");
        }
    }

    private synchronized void add(String action, String resource) {
        needed.add("dynamodb:" + action + " " + resource);
    }

    public synchronized Set<String> takeNeeded() {
        Set<String> copy = new TreeSet<>(needed);
        needed.clear();
        return copy;
    }
}
