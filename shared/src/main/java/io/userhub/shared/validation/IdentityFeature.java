package io.userhub.shared.validation;

import io.userhub.shared.model.AppConfig;

/**
 * The app's identity feature switch (SPEC section 1): off, every identity route refuses with
 * IDENTITY_FEATURE_NOT_ENABLED (Helpshift's IDENTITIES_FEATURE_DISABLED): login, minting, identity
 * addition and attribute updates. Logout and session reads still work, so a client can leave.
 */
public final class IdentityFeature {
    private IdentityFeature() {}

    public static void requireEnabled(AppConfig app) {
        if (!app.identityEnabled()) {
            throw Problem.of(Reason.IDENTITY_FEATURE_NOT_ENABLED).reject();
        }
    }
}
