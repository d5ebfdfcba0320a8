/**
 * The ports the use cases call for storage, in the domain's terms only (no SDK type): a login's
 * reads and its one write ({@link io.userhub.shared.port.LoginStore}, answered with a
 * {@link io.userhub.shared.port.Commit} naming the {@link io.userhub.shared.port.Guard}s that
 * failed), an attribute batch ({@link io.userhub.shared.port.AttributeWriter}), a merge's lineage
 * and its undo ({@link io.userhub.shared.port.MergeLineages}), the apps, the sessions, and the
 * user administration, import, audit and revocation routes' needs. The DynamoDB adapters in
 * {@code store} implement them; testkit's in-memory store implements the login's, the
 * attributes' and the lineages', and the one contract suite (testkit's {@code LoginStoreContract})
 * runs against both.
 */
package io.userhub.shared.port;
