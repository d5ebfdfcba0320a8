/**
 * The ports the use cases call for storage, in the domain's terms only (no SDK type): a login's
 * reads and its one write ({@link io.userhub.shared.port.LoginStore}, answered with a
 * {@link io.userhub.shared.port.Commit} naming the {@link io.userhub.shared.port.Guard}s that
 * failed), and an attribute batch ({@link io.userhub.shared.port.AttributeWriter}). The DynamoDB
 * adapters in {@code store} implement them, and so does testkit's in-memory store; the one
 * contract suite (testkit's {@code LoginStoreContract}) runs against both.
 */
package io.userhub.shared.port;
