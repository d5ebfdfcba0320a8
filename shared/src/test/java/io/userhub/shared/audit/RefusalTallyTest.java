package io.userhub.shared.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalTallyTest {
    private final RefusalTally tally = new RefusalTally();
    private final Instant minute = Instant.parse("2026-12-01T10:00:00Z");
    private final Map<String, Object> signature = Map.of("mode", "identities_jwt", "reason", "IDENTITY_TOKEN_INVALID", "cause", "SIGNATURE");
    private final Map<String, Object> expired = Map.of("mode", "identities_jwt", "reason", "IDENTITY_TOKEN_INVALID", "cause", "EXPIRED");

    @Test
    void aFloodInOneMinuteYieldsOneRecordAndTheNextMinuteItsFinalCount() {
        List<AuditRecord> first = tally.note("app", "dom", signature, minute.plusSeconds(1));
        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.count()).isEqualTo(1);
            assertThat(r.at()).isEqualTo(minute);
            assertThat(r.userId()).isNull();
            assertThat(r.details()).containsEntry("outcome", "refused").containsEntry("cause", "SIGNATURE");
        });
        for (int i = 0; i < 999; i++) {
            assertThat(tally.note("app", "dom", signature, minute.plusSeconds(2 + i % 50))).isEmpty();
        }
        List<AuditRecord> next = tally.note("app", "dom", signature, minute.plusSeconds(61));
        assertThat(next).hasSize(2);
        assertThat(next).filteredOn(r -> r.id().equals(first.get(0).id())).singleElement()
                .satisfies(r -> assertThat(r.count()).isEqualTo(1000));
        assertThat(next).filteredOn(r -> !r.id().equals(first.get(0).id())).singleElement()
                .satisfies(r -> assertThat(r.count()).isEqualTo(1));
    }

    @Test
    void eachReasonAndAppHasItsOwnCountAndAMinuteOfOneRefusalIsNotWrittenAgain() {
        assertThat(tally.note("app", "dom", signature, minute)).hasSize(1);
        assertThat(tally.note("app", "dom", expired, minute)).hasSize(1);
        assertThat(tally.note("other", "dom", signature, minute)).hasSize(1);
        assertThat(tally.note("app", "dom", expired, minute.plusSeconds(5))).isEmpty();
        // The next minute: the expired count (2) is final now; the others saw one refusal, already written.
        List<AuditRecord> later = tally.note("app", "dom", signature, minute.plusSeconds(120));
        assertThat(later).extracting(AuditRecord::count).containsExactlyInAnyOrder(1L, 2L);
        assertThat(later).filteredOn(r -> r.count() == 2).singleElement()
                .satisfies(r -> assertThat(r.details()).containsEntry("cause", "EXPIRED"));
    }
}
