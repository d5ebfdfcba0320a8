package io.userhub.shared.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.userhub.shared.audit.AuditKind;
import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Audit records in the users table, one partition per app and kind ({@code A#<app>#AUDIT#<kind>},
 * sort key {@code <epoch ms, 13 digits>#<id>}), so that an app's feed of one kind is one Query
 * however many logins surround it; records about a person are also in the sparse index
 * {@code AuditByUser} (partition: the person's profile key). Each record expires after the
 * retention (TTL). A record of at most 1 KB costs 1 WRU, plus 1 WRU for its index entry when it
 * is about a person; inside a transaction the table's part costs 2.
 */
@WritesItems(ItemType.AUDIT_RECORD)
public final class AuditTrail implements io.userhub.shared.port.AuditQueries {
    /** Days an audit record is kept (the template's AuditRetentionDays). */
    public static final String AUDIT_RETENTION_DAYS = "AUDIT_RETENTION_DAYS";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    static final String BY_USER_INDEX = "AuditByUser";
    private static final int MAX_WRITES_PER_CALL = 25;
    private static final Pattern SORT_KEY = Pattern.compile("\\d{13}#[0-9a-f]{1,32}");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public AuditTrail(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public Duration retention() {
        return retention;
    }


    // ---- writes --------------------------------------------------------------------------------

    static String partition(String appId, AuditKind kind) {
        return "A#" + appId + "#AUDIT#" + kind.wireName();
    }

    static String sortKey(AuditRecord record) {
        return String.format("%013d#%s", record.at().toEpochMilli(), record.id());
    }

    Map<String, AttributeValue> item(AuditRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Items.s(partition(record.appId(), record.kind())));
        item.put("sk", Items.s(sortKey(record)));
        item.put("kind", Items.s(record.kind().wireName()));
        item.put("app_id", Items.s(record.appId()));
        item.put("at", Items.n(record.at().toEpochMilli()));
        item.put("count", Items.n(record.count()));
        if (record.userId() != null && record.domainId() != null) {
            item.put("user_id", Items.s(record.userId()));
            item.put("audit_user", Items.s(Keys.userPartition(record.domainId(), record.userId())));
        }
        Map<String, AttributeValue> details = new HashMap<>();
        record.details().forEach((name, value) -> details.put(name, value instanceof String s ? Items.s(s)
                : value instanceof Boolean b ? Items.bool(b) : Items.n(((Number) value).longValue())));
        item.put("details", Items.m(details));
        item.put("ttl", Items.n(record.at().plus(retention).getEpochSecond()));
        return item;
    }

    /** The record as one item of a transaction; unconditional, so writing it again under its id replaces it. */
    Put put(AuditRecord record) {
        return Put.builder().tableName(table).item(item(record)).build();
    }

    /** Writes the records: one PutItem for one, BatchWriteItem (25 a call, unprocessed ones sent again) for more. */
    public void write(List<AuditRecord> records) {
        if (records.size() == 1) {
            dynamo.putItem(b -> b.tableName(table).item(item(records.get(0))));
            return;
        }
        for (int from = 0; from < records.size(); from += MAX_WRITES_PER_CALL) {
            List<WriteRequest> pending = records.subList(from, Math.min(records.size(), from + MAX_WRITES_PER_CALL)).stream()
                    .map(r -> WriteRequest.builder().putRequest(PutRequest.builder().item(item(r)).build()).build()).toList();
            while (!pending.isEmpty()) {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
            }
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    /**
     * An app's records of the given kinds from {@code since} (or the cursor) on, oldest first:
     * one Query per kind, {@code limit} items each at most, merged by time; the cursor keeps each
     * kind's position, so a kind that had nothing yet is asked again from where it was.
     */
    @Override
    public Page appRecords(String appId, Set<AuditKind> kinds, Instant since, Optional<String> cursor, int limit, Executor parallel) {
        Map<String, String> positions = cursor.map(AuditTrail::positions).orElseGet(LinkedHashMap::new);
        String from = String.format("%013d", since.toEpochMilli());
        Map<AuditKind, CompletableFuture<QueryResponse>> queries = new LinkedHashMap<>();
        for (AuditKind kind : kinds) {
            String after = positions.getOrDefault(kind.wireName(), from);
            queries.put(kind, CompletableFuture.supplyAsync(() -> dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk AND sk > :after")
                    .expressionAttributeValues(Map.of(":pk", Items.s(partition(appId, kind)), ":after", Items.s(after)))
                    .limit(limit).build()), parallel));
        }
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        boolean morePossible = false;
        for (CompletableFuture<QueryResponse> query : queries.values()) {
            QueryResponse response = io.userhub.shared.concurrent.Futures.join(query);
            found.addAll(response.items());
            morePossible = morePossible || (response.lastEvaluatedKey() != null && !response.lastEvaluatedKey().isEmpty());
        }
        found.sort(Comparator.comparing(item -> Items.string(item, "sk")));
        List<Map<String, AttributeValue>> page = found.subList(0, Math.min(limit, found.size()));
        morePossible = morePossible || found.size() > limit;
        Map<String, String> next = new LinkedHashMap<>();
        for (AuditKind kind : kinds) {
            next.put(kind.wireName(), positions.getOrDefault(kind.wireName(), from));
        }
        page.forEach(item -> next.put(Items.string(item, "kind"), Items.string(item, "sk")));
        return new Page(page.stream().map(this::record).toList(), morePossible ? Optional.of(cursorOf(next)) : Optional.empty());
    }

    /**
     * A person's records in every app of the domain, oldest first: a Query of the person's index
     * partition, kinds other than those asked for filtered out (they are read, and paid for, all the same).
     */
    @Override
    public Page userRecords(String domainId, String userId, Set<AuditKind> kinds, Instant since, Optional<String> cursor, int limit) {
        String after = cursor.map(AuditTrail::positions).map(p -> p.get("user")).orElse(String.format("%013d", since.toEpochMilli()));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":user", Items.s(Keys.userPartition(domainId, userId)));
        values.put(":after", Items.s(after));
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(BY_USER_INDEX)
                .keyConditionExpression("audit_user = :user AND sk > :after").limit(limit);
        if (!kinds.containsAll(EnumSet.allOf(AuditKind.class))) {
            List<String> placeholders = new ArrayList<>();
            int i = 0;
            for (AuditKind kind : kinds) {
                placeholders.add(":k" + i);
                values.put(":k" + i++, Items.s(kind.wireName()));
            }
            query.filterExpression("#kind IN (" + String.join(", ", placeholders) + ")").expressionAttributeNames(Map.of("#kind", "kind"));
        }
        QueryResponse response = dynamo.query(query.expressionAttributeValues(values).build());
        Optional<String> next = Optional.empty();
        if (response.lastEvaluatedKey() != null && !response.lastEvaluatedKey().isEmpty()) {
            next = Optional.of(cursorOf(Map.of("user", Items.string(response.lastEvaluatedKey(), "sk"))));
        }
        return new Page(response.items().stream().map(this::record).toList(), next);
    }

    /** Every record about a person (for an export), page after page. */
    @Override
    public List<AuditRecord> allUserRecords(String domainId, String userId) {
        List<AuditRecord> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        Instant since = Instant.EPOCH;
        do {
            Page page = userRecords(domainId, userId, EnumSet.allOf(AuditKind.class), since, cursor, 100);
            all.addAll(page.records());
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return all;
    }

    private AuditRecord record(Map<String, AttributeValue> item) {
        Map<String, Object> details = new LinkedHashMap<>();
        Items.map(item, "details").forEach((name, value) -> details.put(name,
                value.s() != null ? value.s() : value.bool() != null ? (Object) value.bool() : (Object) Long.parseLong(value.n())));
        String sk = Items.string(item, "sk");
        return new AuditRecord(Items.string(item, "app_id"), null, AuditKind.fromWireName(Items.string(item, "kind")).orElseThrow(),
                Instant.ofEpochMilli(Items.number(item, "at")), sk.substring(sk.indexOf('#') + 1), Items.string(item, "user_id"),
                details, Items.number(item, "count"));
    }

    // ---- cursors -------------------------------------------------------------------------------

    private static String cursorOf(Map<String, String> positions) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(positions).getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor's positions, each a sort key of this trail; anything else is not a cursor of this store. */
    static Map<String, String> positions(String cursor) {
        Map<String, String> positions;
        try {
            positions = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (java.io.IOException | RuntimeException notACursor) {
            throw new IllegalArgumentException("not an audit cursor", notACursor);
        }
        if (positions == null) {
            // base64url of JSON null reads as no map at all
            throw new IllegalArgumentException("not an audit cursor");
        }
        for (Map.Entry<String, String> position : positions.entrySet()) {
            boolean knownName = position.getKey().equals("user") || AuditKind.fromWireName(position.getKey()).isPresent();
            if (!knownName || position.getValue() == null || !SORT_KEY.matcher(position.getValue()).matches()
                    && !position.getValue().matches("\\d{13}")) {
                throw new IllegalArgumentException("not an audit cursor");
            }
        }
        return positions;
    }
}
