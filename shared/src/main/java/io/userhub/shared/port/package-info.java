/**
 * The ports the use cases call for storage, in the domain's terms only (no SDK type): a login's
 * reads and its one write ({@link io.userhub.shared.port.LoginStore}, answered with a
 * {@link io.userhub.shared.port.Commit} naming the {@link io.userhub.shared.port.Guard}s that
 * failed), an attribute batch ({@link io.userhub.shared.port.AttributeWriter}), a merge's lineage
 * and its undo ({@link io.userhub.shared.port.MergeLineages}), the apps, the sessions, and the
 * user administration, import, audit and revocation routes' needs. The DynamoDB adapters in
 * {@code store} implement them all. testkit has in-memory twins: {@code InMemoryLoginStore}
 * (LoginStore, AttributeWriter, MergeLineages, UserImports) and {@code InMemorySessions}
 * (Sessions); the contract suites {@code LoginStoreContract} and {@code SessionsContract} run
 * against them and against the DynamoDB adapters.
 */
package io.userhub.shared.port;
