package io.userhub.shared.token;

/**
 * What an app's Sunshine compatibility setting let an external-id JWT through that the strict
 * rules refuse. Each accepted login names the ones it used in its audit record, so an operator
 * can see which tokens still depend on the setting before turning it off.
 */
public enum SunshineRelaxation {
    /** No iat: Sunshine never asks for one. */
    IAT_ABSENT,
    /** An iat older than the app's token max age: exp, or nothing, bounds the token instead. */
    IAT_PAST_MAX_AGE,
    /** exp as a decimal string ({@code "exp": "1542499200"}, Sunshine's own sample). */
    EXP_AS_STRING,
    /** The older form: {@code scope: appUser} with the id in {@code userId}. */
    APP_USER_SCOPE
}
