package io.userhub.shared.store;

/** The physical table names, passed in by the template (!Ref) or the local server. */
public record Tables(String apps, String users, String sessions, String webhooks) {}
