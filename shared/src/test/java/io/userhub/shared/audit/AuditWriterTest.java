package io.userhub.shared.audit;

import io.userhub.shared.event.DomainEvent;
import io.userhub.shared.event.DomainEvent.SessionsEnded;
import io.userhub.shared.event.EventBatch;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditWriterTest {
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private final List<AuditRecord> written = new ArrayList<>();
    private final List<Runnable> afterTheAnswer = new ArrayList<>();
    private final AuditWriter writer = new AuditWriter(written::addAll, afterTheAnswer::add);

    private static DomainEvent.LoginAccepted login(String id) {
        return new DomainEvent.LoginAccepted("app", "dom", AT, id, "user-1", false, Map.of("mode", "identities"));
    }

    @Test
    void anEraseAndTheSessionsItEndedAreRecordedBeforeTheAnswerALoginAfterIt() {
        writer.on(EventBatch.of(new SessionsEnded("app", "dom", AT, "user-1", 2, SessionsEnded.Cause.ERASE),
                new DomainEvent.UserErased("app", "dom", AT, "user-1", Map.of("profile", 1))));
        assertThat(written).extracting(AuditRecord::kind).containsExactly(AuditKind.SESSIONS_ENDED, AuditKind.USER_ERASED);
        assertThat(written.get(0).details()).containsEntry("cause", "erase").containsEntry("count", 2);
        assertThat(afterTheAnswer).isEmpty();

        writer.on(EventBatch.of(login("login-1")));
        assertThat(written).hasSize(2);
        assertThat(afterTheAnswer).hasSize(1);
        afterTheAnswer.get(0).run();
        assertThat(written).extracting(AuditRecord::id).contains("login-1");
    }

    @Test
    void aLogoutIsAnEventButNoRecordWhileEndSessionsIsOne() {
        writer.on(EventBatch.of(new SessionsEnded("app", "dom", AT, "user-1", 1, SessionsEnded.Cause.LOGOUT)));
        assertThat(written).isEmpty();
        assertThat(afterTheAnswer).isEmpty();

        writer.on(EventBatch.of(new SessionsEnded("app", "dom", AT, "user-1", 3, SessionsEnded.Cause.END_SESSIONS)));
        assertThat(written).singleElement().satisfies(record -> {
            assertThat(record.userId()).isEqualTo("user-1");
            assertThat(record.details()).containsEntry("cause", "end_sessions").containsEntry("count", 3);
        });
    }

    @Test
    void recordsThatRodeInTheOutcomesTransactionAreNotWrittenAgain() {
        writer.on(new EventBatch(List.of(login("login-2")), true));
        assertThat(written).isEmpty();
        assertThat(afterTheAnswer).isEmpty();
    }

    @Test
    void aRecordRefusedThreeTimesIsLostNeverMadeUpAndTheAnswerStands() {
        int[] attempts = {0};
        AuditWriter failing = new AuditWriter(records -> {
            attempts[0]++;
            throw new IllegalStateException("throttled");
        }, Runnable::run);
        failing.on(EventBatch.of(new DomainEvent.UserErased("app", "dom", AT, "user-1", Map.of())));
        assertThat(attempts[0]).isEqualTo(3);
    }
}
