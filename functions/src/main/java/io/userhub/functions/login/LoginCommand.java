package io.userhub.functions.login;

import io.userhub.shared.model.LoginMode;

import java.util.Map;

/** A parsed login request, one shape per login mode of SPEC section 2. */
public sealed interface LoginCommand {
    String appId();

    String deviceId();

    LoginMode mode();

    /**
     * Whether this login, when identified, forgets the device's anonymous user (config
     * {@code clear_anonymous_user_on_login}, true unless the caller asks otherwise).
     */
    boolean clearAnonymousUserOnLogin();

    /** {@code expected} carries a web widget's configured user id / email, which the token must match. */
    record Expected(String userId, String userEmail) {
        public static final Expected NONE = new Expected(null, null);
    }

    /** @param fullPrivacy the config's {@code full_privacy_enabled} (false when absent or not a boolean) */
    record IdentitiesLogin(String appId, String deviceId,
                           String identityToken, boolean fullPrivacy, Expected expected,
                           boolean clearAnonymousUserOnLogin) implements LoginCommand {
        public LoginMode mode() {
            return LoginMode.IDENTITIES_JWT;
        }
    }

    /** @param externalId the body's external_id, a string (its value rules need the app's settings) */
    record ExternalIdLogin(String appId, String deviceId,
                           String externalId, String jwt, boolean clearAnonymousUserOnLogin) implements LoginCommand {
        public LoginMode mode() {
            return LoginMode.EXTERNAL_ID_JWT;
        }
    }

    /**
     * HelpCrunch's user record, its fields checked for type and length.
     *
     * @param userId       null when the visitor sent none (an anonymous user); its value rules need the app's settings
     * @param fields       email, name, phone, company as sent (blank ones left out)
     * @param securityHash null when none was sent
     */
    record UserRecord(String userId, Map<String, String> fields, String securityHash) {
        public UserRecord {
            fields = Map.copyOf(fields);
        }
    }

    /**
     * The signed modes' identities sent without a token (staged enforcement): {@code identities}
     * as a token's payload would hold them, or an {@code external_id} without its {@code jwt}.
     *
     * @param identities the body's identities, checked by the identity rules but for the app's blocked values
     *                   (empty for an external id)
     */
    record UnsignedLogin(String appId, String deviceId, LoginMode mode,
                         java.util.List<io.userhub.shared.model.Identity> identities, String externalId,
                         boolean clearAnonymousUserOnLogin) implements LoginCommand {
    }

    record UserIdLogin(String appId, String deviceId,
                       UserRecord user, boolean clearAnonymousUserOnLogin) implements LoginCommand {
        public LoginMode mode() {
            return LoginMode.USER_ID;
        }
    }
}
