package io.userhub.shared.port;

/** What a conditional item of a transaction protects; a cancelled transaction names the guards that failed. */
public enum Guard {
    /** The device's version: another login for the same device got there first. */
    DEVICE,
    /** A jti already used. */
    JTI,
    /** A security hash pinned differently. */
    PIN,
    /** An identity claimed or moved by someone else meanwhile. */
    CLAIM,
    /** A profile that vanished or changed meanwhile. */
    PROFILE,
    /** A merge's lineage already undone (or gone) meanwhile. */
    LINEAGE,
    /** A source IP that made its hour's allowance of new anonymous devices. */
    ALLOWANCE,
    /** An app's count of webhook endpoints, at its limit. */
    ENDPOINT_LIMIT,
    /** Writes whose failure means nothing but a retry. */
    NONE
}
