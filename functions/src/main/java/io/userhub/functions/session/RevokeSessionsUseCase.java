package io.userhub.functions.session;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.EventBatch;
import io.userhub.shared.event.EventSubscriber;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.port.SessionRevocations;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Revocation for an incident (a compromised signing key, a leaked API key): every session of the
 * app issued before an instant ends. One write of the app's item, whatever the number of
 * sessions; every session route refuses such a session (SESSION_INVALID, problem REVOKED) once
 * its function's app cache has the new item, within the cache's lifetime.
 */
public final class RevokeSessionsUseCase {
    /** A revocation may not reach into the future beyond a clock's skew: it would end the sessions of logins still to come. */
    static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(60);

    public record Revoked(Instant issuedBefore, boolean moved) {}

    private final SessionRevocations revocations;
    private final EventSubscriber events;
    private final Clock clock;

    public RevokeSessionsUseCase(SessionRevocations revocations, EventSubscriber events, Clock clock) {
        this.revocations = revocations;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param issuedBefore the instant (default: now); sessions created before it end
     * @param by           who asked ({@code api} or {@code operator}), for the audit record
     */
    public Revoked revoke(AppConfig app, Optional<Instant> issuedBefore, String by) {
        Instant now = clock.instant();
        // Sessions carry their creation to the second: "before now" must include this second's.
        Instant before = issuedBefore.orElse(Instant.ofEpochSecond(now.getEpochSecond() + 1));
        if (before.isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw Problem.field("issued_before", ErrorCode.INVALID_VALUE).reject();
        }
        long requested = before.getEpochSecond();
        long inForce = revocations.revokeSessionsBefore(app.appId(), requested);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", "sessions_revoked");
        details.put("by", by);
        details.put("issued_before", Instant.ofEpochSecond(inForce).toString());
        events.on(EventBatch.of(new DomainEvent.SettingsChanged(app.appId(), app.domainId(), now, details)));
        return new Revoked(Instant.ofEpochSecond(inForce), inForce == requested);
    }

    /** An ISO-8601 instant as a request gives it, or a 400 naming the field. */
    public static Optional<Instant> parseInstant(String field, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            Instant instant = Instant.parse(text);
            if (instant.isBefore(Instant.EPOCH)) {
                throw Problem.field(field, ErrorCode.INVALID_VALUE).reject();
            }
            return Optional.of(instant);
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            throw Problem.field(field, ErrorCode.INVALID_VALUE).reject();
        }
    }
}
