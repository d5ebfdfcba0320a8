package io.userhub.functions.audit;

import io.userhub.shared.audit.AuditKind;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.port.AuditQueries;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/** Reading the audit trail: an app's records by kind, or a person's across the domain's apps, oldest first. */
public final class AuditUseCase {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    private final AuditQueries trail;
    private final Clock clock;
    private final Executor parallel;

    public AuditUseCase(AuditQueries trail, Clock clock, Executor parallel) {
        this.trail = trail;
        this.clock = clock;
        this.parallel = parallel;
    }

    /** The latest instant whose sort key keeps the trail's 13 digits of milliseconds (2286-11-20): a later since is an empty page. */
    static final Instant LATEST_SINCE = Instant.ofEpochMilli(9_999_999_999_999L);

    /**
     * A page request as the route's query string states it.
     *
     * @param since  records at or after this instant (default: the oldest kept)
     * @param cursor the previous page's {@code next_cursor}, which carries on where it ended
     */
    public record PageRequest(Set<AuditKind> kinds, Instant since, Optional<String> cursor, int limit) {}

    /** Checks the query string: unknown kinds, timestamps, limits or cursors are a 400 naming the parameter. */
    public PageRequest pageRequest(Map<String, String> query) {
        Set<AuditKind> kinds = EnumSet.allOf(AuditKind.class);
        String kind = query.get("kind");
        if (kind != null) {
            kinds = EnumSet.noneOf(AuditKind.class);
            for (String name : kind.split(",", -1)) {
                AuditKind parsed = AuditKind.fromWireName(name.trim()).orElseThrow(() -> invalid("kind"));
                kinds.add(parsed);
            }
        }
        Instant oldestKept = clock.instant().minus(trail.retention());
        Instant since = oldestKept;
        String sinceText = query.get("since");
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText);
            } catch (DateTimeParseException notAnInstant) {
                throw invalid("since");
            }
            if (since.isBefore(oldestKept)) {
                since = oldestKept;
            }
            if (since.isAfter(LATEST_SINCE)) {
                // Instant.parse takes years up to +1000000000, which no millisecond count holds; no record is that late.
                since = LATEST_SINCE;
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            if (!limitText.matches("[0-9]{1,3}") || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > MAX_LIMIT) {
                throw invalid("limit");
            }
            limit = Integer.parseInt(limitText);
        }
        Optional<String> cursor = Optional.ofNullable(query.get("cursor")).filter(c -> !c.isEmpty());
        if (cursor.isPresent() && (cursor.get().length() > 2048 || !cursor.get().matches("[A-Za-z0-9_-]+"))) {
            throw invalid("cursor");
        }
        return new PageRequest(kinds, since, cursor, limit);
    }

    public AuditQueries.Page appRecords(AppConfig app, PageRequest request) {
        try {
            return trail.appRecords(app.appId(), request.kinds(), request.since(), request.cursor(), request.limit(), parallel);
        } catch (IllegalArgumentException notACursor) {
            throw invalid("cursor");
        }
    }

    /** The person's records in every app of the app's domain; an id no one has gives an empty page. */
    public AuditQueries.Page userRecords(AppConfig app, String userId, PageRequest request) {
        io.userhub.functions.users.UserAdminUseCase.requireUserId(userId);
        try {
            return trail.userRecords(app.domainId(), userId, request.kinds(), request.since(), request.cursor(), request.limit());
        } catch (IllegalArgumentException notACursor) {
            throw invalid("cursor");
        }
    }

    private static io.userhub.shared.validation.Rejection invalid(String parameter) {
        return Problem.withErrors(Reason.FIELD_INVALID, Map.of(parameter, ErrorCode.INVALID_VALUE.name())).reject();
    }
}
