package io.userhub.testkit;

import io.userhub.shared.store.LoginStore;

/** The in-memory store keeps the contract the DynamoDB store keeps (DynamoLoginStoreIT). */
class InMemoryLoginStoreTest extends LoginStoreContract {
    private final InMemoryLoginStore store = new InMemoryLoginStore();

    @Override
    protected LoginStore store() {
        return store;
    }
}
