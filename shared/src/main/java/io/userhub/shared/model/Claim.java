package io.userhub.shared.model;

/** Who owns an identity value in a domain, and the iat of the token that gave it to them. */
public record Claim(String userId, long assertedAt) {}
