package io.userhub.shared.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where an app's backend hears of its users: a URL, the event types it wants, and whether
 * deliveries go out ({@code enabled}). Its secrets sign every delivery; after a rotation the old
 * one keeps signing beside the new one until it retires. An endpoint whose deliveries went dead is
 * failing since then (cleared by its next delivered event) and is disabled once it has failed for
 * {@link EndpointRules#DISABLED_AFTER_FAILING}.
 *
 * @param version counts the endpoint's writes: a change is written only over the version it read
 */
public record WebhookEndpoint(String appId, String id, String url, Set<String> eventTypes, boolean enabled, String description,
                              List<Secret> secrets, Instant createdAt, Instant failingSince, String disabledReason, long version) {

    /**
     * @param value     the secret; empty where it was not opened (a listing, which signs nothing)
     * @param retiresAt when a rotated secret stops signing; null for the current one
     * @param stored    the form it is stored in (sealed), so that writing the endpoint again seals nothing;
     *                  null for a secret not stored yet
     */
    public record Secret(String value, Instant retiresAt, String stored) {
        public Secret {
            Objects.requireNonNull(value);
        }

        /** A new secret, sealed when it is first written. */
        public Secret(String value, Instant retiresAt) {
            this(value, retiresAt, null);
        }

        public Secret retiringAt(Instant at) {
            return new Secret(value, at, stored);
        }
    }

    public WebhookEndpoint {
        Objects.requireNonNull(appId);
        Objects.requireNonNull(id);
        Objects.requireNonNull(url);
        eventTypes = Set.copyOf(eventTypes);
        secrets = List.copyOf(secrets);
        description = description == null ? "" : description;
    }

    /** Whether a delivery of this type goes out to it. */
    public boolean wants(String type) {
        return enabled && eventTypes.contains(type);
    }

    /** The secrets that sign a delivery made now: the current one first, then any rotated one not yet retired. */
    public List<String> secretsInForce(Instant now) {
        return secrets.stream().filter(s -> s.retiresAt() == null || s.retiresAt().isAfter(now)).map(Secret::value).toList();
    }

    public WebhookEndpoint withUrl(String newUrl) {
        return new WebhookEndpoint(appId, id, newUrl, eventTypes, enabled, description, secrets, createdAt, failingSince, disabledReason, version);
    }

    public WebhookEndpoint withEventTypes(Set<String> types) {
        return new WebhookEndpoint(appId, id, url, types, enabled, description, secrets, createdAt, failingSince, disabledReason, version);
    }

    public WebhookEndpoint withDescription(String text) {
        return new WebhookEndpoint(appId, id, url, eventTypes, enabled, text, secrets, createdAt, failingSince, disabledReason, version);
    }

    /** Enabled again by its owner: no longer failing or disabled. Disabled by its owner: the reason is theirs. */
    public WebhookEndpoint withEnabled(boolean on) {
        return new WebhookEndpoint(appId, id, url, eventTypes, on, description, secrets, createdAt, on ? null : failingSince,
                on ? null : "disabled by request", version);
    }

    public WebhookEndpoint withSecrets(List<Secret> newSecrets) {
        return new WebhookEndpoint(appId, id, url, eventTypes, enabled, description, newSecrets, createdAt, failingSince, disabledReason, version);
    }

    public WebhookEndpoint withFailingSince(Instant since) {
        return new WebhookEndpoint(appId, id, url, eventTypes, enabled, description, secrets, createdAt, since, disabledReason, version);
    }

    public WebhookEndpoint disabledFor(String reason) {
        return new WebhookEndpoint(appId, id, url, eventTypes, false, description, secrets, createdAt, failingSince, reason, version);
    }

    public WebhookEndpoint nextVersion() {
        return new WebhookEndpoint(appId, id, url, eventTypes, enabled, description, secrets, createdAt, failingSince, disabledReason, version + 1);
    }
}
