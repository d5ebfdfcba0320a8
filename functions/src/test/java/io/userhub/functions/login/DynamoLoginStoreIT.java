package io.userhub.functions.login;

import io.userhub.shared.audit.AuditRecord;
import io.userhub.shared.model.UserDetails;
import io.userhub.shared.store.AttributeStore;
import io.userhub.shared.port.AttributeWriter;
import io.userhub.shared.store.DynamoLoginStore;
import io.userhub.shared.port.LoginStore;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.store.Tables;
import io.userhub.shared.store.UserStore;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.LoginStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The DynamoDB store against DynamoDB Local keeps the contract the in-memory store keeps (InMemoryLoginStoreTest). */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoLoginStoreIT extends LoginStoreContract {
    private LoginStore store;
    private DynamoDbClient dynamo;
    private Tables tables;

    @Override
    protected LoginStore store() {
        if (store == null) {
            dynamo = DynamoDbLocalExtension.client(List.of());
            tables = DynamoDbLocalExtension.tables();
            store = new DynamoLoginStore(dynamo, new UserStore(dynamo, tables.users()), new SessionStore(dynamo, tables.sessions()),
                    audit());
        }
        return store;
    }

    private io.userhub.shared.store.AuditTrail audit() {
        return new io.userhub.shared.store.AuditTrail(dynamo, tables.users(), java.time.Duration.ofDays(90));
    }

    @Override
    protected AttributeWriter attributes() {
        store();
        return new AttributeStore(dynamo, tables.users());
    }

    /** Read back as a customer would see it: the user's partition, flattened as the contract names it. */
    @Override
    protected Map<String, Object> attributesOf(String domainId, String userId) {
        store();
        Map<String, Object> flat = new TreeMap<>();
        new UserStore(dynamo, tables.users()).readPartition(domainId, userId).ifPresent(partition -> {
            UserDetails profile = partition.profile();
            profile.global().forEach((k, v) -> flat.put("GLOBAL_ATTRIBUTES." + k, v));
            profile.customFields().forEach((k, v) -> flat.put("GLOBAL_CUSTOM_FIELDS." + k, v));
            profile.tags().forEach(tag -> flat.put("TAGS." + tag, true));
            partition.appData().forEach((appId, data) -> {
                data.attributes().forEach((k, v) -> flat.put(appId + "/APP_ATTRIBUTES." + k, v));
                data.customFields().forEach((k, v) -> flat.put(appId + "/APP_CUSTOM_FIELDS." + k, v));
            });
        });
        return flat;
    }

    @Override
    protected io.userhub.shared.port.MergeLineages lineages() {
        store();
        return new io.userhub.shared.store.DynamoMergeLineages(dynamo, new UserStore(dynamo, tables.users()), java.time.Duration.ofDays(90));
    }

    @Override
    protected List<AuditRecord> auditRecordsOf(String domainId, String userId) {
        store();
        return audit().allUserRecords(domainId, userId);
    }
}
