package io.userhub.functions.login;

import io.userhub.shared.store.DynamoLoginStore;
import io.userhub.shared.store.LoginStore;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.store.Tables;
import io.userhub.shared.store.UserStore;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.LoginStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;

/** The DynamoDB store against DynamoDB Local keeps the contract the in-memory store keeps (InMemoryLoginStoreTest). */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoLoginStoreIT extends LoginStoreContract {
    private LoginStore store;

    @Override
    protected LoginStore store() {
        if (store == null) {
            DynamoDbClient dynamo = DynamoDbLocalExtension.client(List.of());
            Tables tables = DynamoDbLocalExtension.tables();
            store = new DynamoLoginStore(dynamo, new UserStore(dynamo, tables.users()), new SessionStore(dynamo, tables.sessions()),
                    new io.userhub.shared.store.AuditTrail(dynamo, tables.users(), java.time.Duration.ofDays(90)));
        }
        return store;
    }
}
