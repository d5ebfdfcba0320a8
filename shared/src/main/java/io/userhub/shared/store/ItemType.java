package io.userhub.shared.store;

/**
 * The kinds of item userhub keeps in DynamoDB. Each has exactly one class that builds its writes
 * and holds its key pattern, marked {@link WritesItems}; {@code OneWriterPerItemTest} fails when
 * a second class writes one.
 */
public enum ItemType {
    /** Apps table: an app's settings, key ring and API key hashes. */
    APP_CONFIG,
    /** Apps table: the list of apps, one entry per app (listing without a Scan). */
    APP_REGISTRY,
    /** Apps table: a domain, the space apps share users in. */
    DOMAIN,
    /** Users table: a person's profile (identities, history, global attributes, tags, fields). */
    PROFILE,
    /** Users table: the owner of one identity value in a domain (uniqueness). */
    CLAIM,
    /** Users table: a user's attributes in one app. */
    APP_DATA,
    /** Sessions table: a device's one session and what userhub remembers of the device. */
    DEVICE,
    /** Users table: a pointer from a user's partition to a device the user logged in on. */
    DEVICE_POINTER,
    /** Users table: what a merge carried, kept so that it can be undone. */
    MERGE_LINEAGE,
    /** Users table: one audit record. */
    AUDIT_RECORD,
    /** Users table: the last day a signing key verified a token. */
    KEY_USE,
    /** Users table: a used token id, until the token expires. */
    JTI,
    /** Users table: a user id's pinned security hash. */
    PIN,
    /** Users table: the digest an erased identity leaves for a while. */
    ERASED_IDENTITY,
    /** Users table: a source IP's count of new anonymous devices in one hour. */
    NEW_DEVICE_ALLOWANCE,
    /** Webhooks table: an app's webhook endpoint (URL, event types, sealed secrets, health). */
    WEBHOOK_ENDPOINT,
    /** Webhooks table: how many endpoints an app has (the limit, under concurrency). */
    WEBHOOK_ENDPOINT_COUNT,
    /** Webhooks table: one event for the delivery engine (the outbox; its stream feeds the fan-out). */
    WEBHOOK_EVENT,
    /** Webhooks table: one event's delivery to one endpoint, as its log shows it. */
    WEBHOOK_DELIVERY
}
