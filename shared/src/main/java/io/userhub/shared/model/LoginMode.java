package io.userhub.shared.model;

/** The three login body shapes of SPEC section 2, each enabled per app. */
public enum LoginMode {
    IDENTITIES_JWT, EXTERNAL_ID_JWT, USER_ID
}
