package io.userhub.functions.support;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Capacity units a request costs. Single-item operations, Query and BatchGetItem: what DynamoDB
 * Local answers to ReturnConsumedCapacity (it answers those correctly). Transactions: DynamoDB
 * Local's figures are not credible, so they are computed from item sizes (2 WRU per started KB per
 * item, the larger of the item before and after; the sizes are read after the write, and a
 * deleted item counts 1 KB), following DynamoDB's item-size rules.
 */
public final class CapacityRecorder implements ExecutionInterceptor {
    private final DynamoDbClient reader;
    private double read;
    private double write;
    private int requests;
    private final List<TransactWriteItem> transactional = new ArrayList<>();

    /** @param reader a client without this recorder, to read transactional items' sizes */
    public CapacityRecorder(DynamoDbClient reader) {
        this.reader = reader;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (r instanceof GetItemRequest g) return g.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        if (r instanceof PutItemRequest p) return p.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        if (r instanceof UpdateItemRequest u) return u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        if (r instanceof DeleteItemRequest d) return d.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        if (r instanceof QueryRequest q) return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        if (r instanceof BatchGetItemRequest b) return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        return r;
    }

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        requests++;
        SdkResponse response = context.response();
        if (context.request() instanceof TransactWriteItemsRequest t) {
            transactional.addAll(t.transactItems());
            return;
        }
        if (response instanceof GetItemResponse g) add(g.consumedCapacity(), true);
        if (response instanceof PutItemResponse p) add(p.consumedCapacity(), false);
        if (response instanceof UpdateItemResponse u) add(u.consumedCapacity(), false);
        if (response instanceof DeleteItemResponse d) add(d.consumedCapacity(), false);
        if (response instanceof QueryResponse q) add(q.consumedCapacity(), true);
        if (response instanceof BatchGetItemResponse b && b.hasConsumedCapacity()) b.consumedCapacity().forEach(c -> add(c, true));
    }

    /** TOTAL gives CapacityUnits (table and indexes together): reads for read operations, writes for writes. */
    private void add(ConsumedCapacity capacity, boolean isRead) {
        if (capacity == null || capacity.capacityUnits() == null) return;
        if (isRead) {
            read += capacity.capacityUnits();
        } else {
            write += capacity.capacityUnits();
        }
    }

    public record Cost(int requests, double rru, double wru) {}

    /** The cost since the last call, and starts again. */
    public synchronized Cost take() {
        double transactionWrites = 0;
        for (TransactWriteItem item : transactional) {
            String table;
            Map<String, AttributeValue> key;
            if (item.put() != null) {
                transactionWrites += 2 * kilobytes(size(item.put().item()));
                continue;
            } else if (item.update() != null) {
                table = item.update().tableName();
                key = item.update().key();
            } else if (item.delete() != null) {
                table = item.delete().tableName();
                key = item.delete().key();
            } else {
                table = item.conditionCheck().tableName();
                key = item.conditionCheck().key();
            }
            Map<String, AttributeValue> stored = reader.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
            transactionWrites += 2 * kilobytes(stored == null || stored.isEmpty() ? 1 : size(stored));
        }
        Cost cost = new Cost(requests, read, write + transactionWrites);
        read = 0;
        write = 0;
        requests = 0;
        transactional.clear();
        return cost;
    }

    private static int kilobytes(long bytes) {
        return (int) Math.max(1, (bytes + 1023) / 1024);
    }

    /** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits + 1, containers 3 + 1 per element). */
    static long size(Map<String, AttributeValue> item) {
        long total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
        }
        return total;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) return v.s().getBytes(StandardCharsets.UTF_8).length;
        if (v.n() != null) return (v.n().replace("-", "").replace(".", "").length() + 1) / 2 + 1;
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
        if (v.hasM()) return 3 + v.m().size() + size(v.m());
        if (v.hasL()) return 3 + v.l().size() + v.l().stream().mapToLong(CapacityRecorder::size).sum();
        if (v.hasSs()) return v.ss().stream().mapToLong(x -> x.getBytes(StandardCharsets.UTF_8).length).sum();
        return 1;
    }
}
