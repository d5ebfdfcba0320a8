package io.userhub.shared.model;

import java.util.Set;

/** The identifiers an identity token may carry (Helpshift identity token format). */
public final class Identifiers {
    private Identifiers() {}

    public static final Set<String> SUPPORTED = Set.of(
            "uid", "email", "phone_number", "facebook_id", "discord_id", "whatsapp_id",
            "google_playstore_id", "apple_gamecenter_id", "nintendo_id", "psn_id",
            "xbox_live_id", "steam_id");

    public static boolean isSupported(String identifier) {
        return SUPPORTED.contains(identifier);
    }
}
