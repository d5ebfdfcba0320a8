package io.userhub.functions.audit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.userhub.shared.store.AuditTrail;
import io.userhub.shared.validation.Rejection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit routes' query parameters (kind, since, limit, cursor): a page request or a 400
 * naming the parameter, never another exception. Corpus: AuditQueryFuzzTestInputs/.
 */
class AuditQueryFuzzTest {
    private static final AuditUseCase AUDIT = new AuditUseCase(new AuditTrail(null, "unused", Duration.ofDays(90)),
            Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC), Runnable::run);

    @FuzzTest(maxDuration = "60s")
    void anyQueryIsAPageRequestOrA400(FuzzedDataProvider data) {
        Map<String, String> query = new HashMap<>();
        for (String name : new String[]{"kind", "since", "limit", "cursor"}) {
            if (data.consumeBoolean()) {
                query.put(name, data.consumeString(120));
            }
        }
        try {
            AuditUseCase.PageRequest request = AUDIT.pageRequest(query);
            assertThat(request.limit()).isBetween(1, 100);
            assertThat(request.kinds()).isNotEmpty();
            assertThat(request.since().toEpochMilli()).isNotNegative();
        } catch (Rejection refused) {
            assertThat(refused.problem().reason().name()).isEqualTo("FIELD_INVALID");
            assertThat(refused.problem().errors()).hasSize(1);
        }
    }
}
