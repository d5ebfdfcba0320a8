package io.userhub.shared.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.HashMap;
import java.util.Map;

/**
 * The one-shot move from the first layout (a device item in the users table, a session item per
 * token) to the device layout (one item per device in the sessions table), run once by the
 * operator after deploying ({@code migrate-devices}). Each device of the first layout becomes
 * its device item, with its version, its user and its anonymous user, and the key of its session
 * of the first layout, which the device's next login ends (until then that session's token keeps
 * working). A device that logged in on the new layout already keeps its item, and its session of
 * the first layout ends now. Idempotent: a run that stops half-way can run again.
 *
 * <p>It scans the users table: an operator's job, never a request's.
 */
public final class LegacyDeviceMigration {
    private static final String LEGACY_PREFIX = "A#";
    private static final String LEGACY_DEVICE_MARK = "#DEV#";

    public record Report(int devicesMoved, int alreadyOnTheNewLayout, int sessionsEnded) {}

    private final DynamoDbClient dynamo;
    private final String usersTable;
    private final String sessionsTable;

    public LegacyDeviceMigration(DynamoDbClient dynamo, String usersTable, String sessionsTable) {
        this.dynamo = dynamo;
        this.usersTable = usersTable;
        this.sessionsTable = sessionsTable;
    }

    public Report migrate() {
        int moved = 0;
        int already = 0;
        int ended = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(usersTable).consistentRead(true)
                    .filterExpression("sk = :device AND begins_with(pk, :app)")
                    .expressionAttributeValues(Map.of(":device", Items.s(Keys.DEVICE), ":app", Items.s(LEGACY_PREFIX)));
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = dynamo.scan(scan.build());
            for (Map<String, AttributeValue> legacy : page.items()) {
                String pk = Items.string(legacy, "pk");
                int mark = pk.indexOf(LEGACY_DEVICE_MARK);
                if (mark < 0) {
                    continue;
                }
                String deviceKey = Keys.deviceSessionOfDigest(pk.substring(LEGACY_PREFIX.length(), mark),
                        pk.substring(mark + LEGACY_DEVICE_MARK.length()));
                String legacySession = Items.string(legacy, "session_key");
                if (moveDevice(legacy, deviceKey, legacySession)) {
                    moved++;
                } else {
                    already++;
                    if (legacySession != null && endSession(legacySession)) {
                        ended++;
                    }
                }
                dynamo.deleteItem(b -> b.tableName(usersTable).key(Items.key(pk, Keys.DEVICE)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new Report(moved, already, ended);
    }

    /** @return false if the device already has an item of the new layout */
    private boolean moveDevice(Map<String, AttributeValue> legacy, String deviceKey, String legacySession) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(deviceKey));
        item.put("version", legacy.getOrDefault("version", Items.n(0)));
        copy(legacy, "last_user_id", item, "user_id");
        copy(legacy, "anon_user_id", item, "anon_user_id");
        copy(legacy, "ttl", item, "ttl");
        // Always set, even when that session is gone: the device's next login is then a transaction, which
        // writes the user's pointer to this item (erase finds the item through it).
        item.put("legacy_session_key", Items.s(legacySession == null ? Keys.legacySession("none", "none") : legacySession));
        try {
            dynamo.putItem(b -> b.tableName(sessionsTable).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    private boolean endSession(String sessionKey) {
        return dynamo.deleteItem(b -> b.tableName(sessionsTable).key(Items.key(sessionKey))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).hasAttributes();
    }

    private static void copy(Map<String, AttributeValue> from, String name, Map<String, AttributeValue> to, String as) {
        AttributeValue value = from.get(name);
        if (value != null) {
            to.put(as, value);
        }
    }
}
