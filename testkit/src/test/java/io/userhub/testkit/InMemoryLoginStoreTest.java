package io.userhub.testkit;

import io.userhub.shared.port.LoginStore;

/** The in-memory store keeps the contract the DynamoDB store keeps (DynamoLoginStoreIT). */
class InMemoryLoginStoreTest extends LoginStoreContract {
    private final InMemoryLoginStore store = new InMemoryLoginStore();

    @Override
    protected LoginStore store() {
        return store;
    }

    @Override
    protected io.userhub.shared.port.AttributeWriter attributes() {
        return store;
    }

    @Override
    protected java.util.Map<String, Object> attributesOf(String domainId, String userId) {
        return store.attributesOf(domainId, userId);
    }

    @Override
    protected io.userhub.shared.port.MergeLineages lineages() {
        return store;
    }

    @Override
    protected java.util.List<io.userhub.shared.audit.AuditRecord> auditRecordsOf(String domainId, String userId) {
        return store.auditRecords().stream().filter(r -> userId.equals(r.userId())).toList();
    }
}
