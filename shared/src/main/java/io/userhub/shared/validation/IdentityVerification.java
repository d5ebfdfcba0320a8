package io.userhub.shared.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.shared.model.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of a signed token's identities the customer's backend vouches for. A token may say an
 * email or phone number is unverified, as OpenID Connect's {@code email_verified} /
 * {@code phone_number_verified} claims and Zendesk's messaging JWT do, or per identity with the
 * metadata {@code "verified": "false"}. An unverified identity is kept on the profile but never
 * claims, moves or merges, and never decides which profile a login reaches: whoever can type an
 * address into a sign-up form must not reach the profile of the person who owns it.
 */
public final class IdentityVerification {
    private IdentityVerification() {}

    public static final String METADATA_KEY = "verified";

    public record Split(List<Identity> verified, List<Identity> unverified) {
        public Split {
            verified = List.copyOf(verified);
            unverified = List.copyOf(unverified);
        }
    }

    /**
     * @param requireVerifiedEmail the app's setting: an email counts as verified only when the
     *                             token says so (metadata, or {@code email_verified: true})
     */
    public static Split split(List<Identity> identities, JsonNode payload, boolean requireVerifiedEmail) {
        List<Identity> verified = new ArrayList<>();
        List<Identity> unverified = new ArrayList<>();
        for (Identity identity : identities) {
            (isVerified(identity, payload, requireVerifiedEmail) ? verified : unverified).add(identity);
        }
        return new Split(verified, unverified);
    }

    /**
     * Without full privacy a verified uid or email decides the profile; an email said to be
     * unverified cannot, so a token with nothing else is refused, saying why. Login, minting and
     * the rules' dry run all check it here.
     */
    public static void requireVerifiedUidOrEmail(Split split) {
        try {
            IdentityRules.requireUidOrEmail(split.verified());
        } catch (Rejection missing) {
            if (split.unverified().stream().anyMatch(Identity::isEmail)) {
                throw Problem.withDetails(Reason.UID_OR_EMAIL_IS_MANDATORY, java.util.Map.of("problem", "EMAIL_UNVERIFIED")).reject();
            }
            throw missing;
        }
    }

    private static boolean isVerified(Identity identity, JsonNode payload, boolean requireVerifiedEmail) {
        boolean email = identity.isEmail();
        if (!email && !Identity.PHONE_NUMBER.equals(identity.identifier())) {
            return true;
        }
        Boolean stated = flag(identity.metadata().get(METADATA_KEY));
        if (stated == null && payload != null) {
            stated = flag(payload.get(identity.identifier() + "_verified"));
        }
        if (stated != null) {
            return stated;
        }
        return !(email && requireVerifiedEmail);
    }

    /** true, false, "true" or "false"; anything else says nothing. */
    private static Boolean flag(Object value) {
        if (value instanceof JsonNode node) {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            value = node.isTextual() ? node.asText() : null;
        }
        if (value instanceof String text) {
            String folded = text.trim().toLowerCase(Locale.ROOT);
            return folded.equals("true") ? Boolean.TRUE : folded.equals("false") ? Boolean.FALSE : null;
        }
        return null;
    }
}
