package io.userhub.shared.model;

/**
 * How an app's user-id login mode (HelpCrunch style) proves who the user is.
 * <ul>
 *   <li>{@code NONE}: nothing is proven; such logins resolve only in the unverified namespace
 *       ({@code unverified_uid}), never reaching a profile a signed login or the import made.
 *       A {@code security_hash}, once sent, is pinned and must be sent again (HelpCrunch).</li>
 *   <li>{@code HMAC}: {@code security_hash} must be the hex HMAC-SHA256 of the user id under the
 *       secret of one of the app's active HS keys (Intercom-style identity verification); the
 *       login is then as good as a signed token and resolves in the verified {@code uid} namespace.</li>
 * </ul>
 */
public enum UserIdVerification { NONE, HMAC }
