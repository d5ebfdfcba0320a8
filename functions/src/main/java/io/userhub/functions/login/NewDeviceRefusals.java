package io.userhub.functions.login;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The source IPs (digests) of an app that used up their hour's new anonymous devices, as this
 * warm function learnt from a refused transaction: their later new-device logins in that hour are
 * refused after the login's read, without another write, so a refused flood costs one read per
 * attempt. Bounded: entries of past hours go when a new hour's first one comes, and at most
 * {@link #MAX_ENTRIES} are kept (past that, DynamoDB's condition keeps refusing, at one write each).
 */
final class NewDeviceRefusals {
    static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<String, Long> refusedUntilHour = new ConcurrentHashMap<>();
    private volatile long currentHour;

    boolean refused(String appId, String sourceIpDigest, long hour) {
        Long until = refusedUntilHour.get(appId + "|" + sourceIpDigest);
        return until != null && until == hour;
    }

    void note(String appId, String sourceIpDigest, long hour) {
        if (hour != currentHour) {
            currentHour = hour;
            refusedUntilHour.values().removeIf(h -> h < hour);
        }
        if (refusedUntilHour.size() < MAX_ENTRIES) {
            refusedUntilHour.put(appId + "|" + sourceIpDigest, hour);
        }
    }
}
