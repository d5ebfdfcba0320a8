package io.userhub.shared.store;

import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.model.Identity;

/**
 * Key patterns of the users and sessions tables (see package-info). Every key starts with the
 * domain or app it belongs to, so no request of one app can address another's items. Raw
 * identity values, device ids, jtis and tokens appear in keys only as SHA-256 digests.
 */
public final class Keys {
    private Keys() {}

    public static final String PROFILE = "PROFILE";
    public static final String CLAIM = "CLAIM";
    public static final String PIN = "PIN";
    public static final String JTI = "JTI";

    public static String profile(String domainId, String userId) {
        return "D#" + domainId + "#U#" + userId;
    }

    public static String claim(String domainId, Identity identity) {
        return "D#" + domainId + "#I#" + identity.identifier() + "#" + Hashing.sha256Hex(identity.normalizedValue());
    }

    /** What an erase leaves of an identity for a while: its digest, so a re-import of stale data can be told apart. */
    public static String erasedIdentity(String domainId, Identity identity) {
        return "D#" + domainId + "#X#" + identity.identifier() + "#" + Hashing.sha256Hex(identity.normalizedValue());
    }

    public static final String ERASED = "ERASED";

    public static String pin(String appId, String userIdValue) {
        return "A#" + appId + "#PIN#" + Hashing.sha256Hex(userIdValue);
    }

    /** The count of new anonymous devices one source IP (its digest) made in an app in one hour (epoch s / 3600). */
    public static String anonymousDevicesOfIp(String appId, String sourceIpDigest, long hour) {
        return "A#" + appId + "#ANONIP#" + sourceIpDigest + "#" + hour;
    }

    public static final String ALLOWANCE = "ALLOWANCE";

    public static String jti(String appId, String jti) {
        return "A#" + appId + "#JTI#" + Hashing.sha256Hex(jti);
    }

    /** The device's item in the sessions table: its one session and what userhub remembers of the device. */
    public static String deviceSession(String appId, String deviceId) {
        return deviceSessionOfDigest(appId, Hashing.sha256Hex(deviceId));
    }

    public static String deviceSessionOfDigest(String appId, String deviceDigest) {
        return "S#" + appId + "#DEV#" + deviceDigest;
    }
}
