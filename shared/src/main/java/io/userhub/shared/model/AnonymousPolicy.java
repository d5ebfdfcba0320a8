package io.userhub.shared.model;

/** What happens to a device's anonymous user once that device logs in with an identity. */
public enum AnonymousPolicy {
    /** The anonymous user is left behind; the next empty-token login creates a new one. */
    DISCARD,
    /** The anonymous user's attributes and tags are merged into the identified user. */
    MERGE
}
