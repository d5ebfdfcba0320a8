/**
 * DynamoDB access with the low-level client. Key design (full table in docs/data-model.md):
 *
 * <pre>
 * AppsTable     APP#&lt;app&gt;                      CONFIG   app, key ring, API key hashes, settings
 * UsersTable    D#&lt;domain&gt;#U#&lt;user&gt;            PROFILE  identities map, history, global, tags, fields
 *               D#&lt;domain&gt;#I#&lt;id&gt;#&lt;sha256&gt;     CLAIM    owner of an identity value (uniqueness)
 *               D#&lt;domain&gt;#U#&lt;user&gt;            SESSION#&lt;sha256&gt;  pointer to a device item the user logged in on
 *               A#&lt;app&gt;#PIN#&lt;sha256&gt;          PIN      sticky security hash
 *               A#&lt;app&gt;#JTI#&lt;sha256&gt;          JTI      used jti, TTL
 * SessionsTable S#&lt;app&gt;#DEV#&lt;sha256(device)&gt;      the device's one session, version (optimistic lock),
 *                                                   anonymous user, last login's digest; GSI DueSessions (sparse, sharded)
 * </pre>
 *
 * Invariants are conditions, never read-then-write: claims are created with
 * {@code attribute_not_exists(pk)} and moved with {@code user_id = :from AND asserted_at = :previous};
 * a device's item is advanced with {@code version = :read}.
 *
 * <p>Each item type has one writer ({@link io.userhub.shared.store.WritesItems}, listed by
 * {@link io.userhub.shared.store.ItemType}) that builds its writes and holds its key pattern; the
 * stores compose those writes into requests and transactions ({@code OneWriterPerItemTest}).
 *
 * <p>Stores own their writes: handlers and use cases say what they mean (a {@link
 * io.userhub.shared.port.LoginStore.LoginWrite}, a partition to erase) and get back records, a
 * {@link io.userhub.shared.port.Commit} or opaque page cursors; no class under functions/ sees the
 * SDK, {@code Items} or {@code ExpressionBuilder} (functions' {@code ArchitectureTest}).
 */
package io.userhub.shared.store;

import io.userhub.shared.port.Commit;

import io.userhub.shared.port.LoginStore;
