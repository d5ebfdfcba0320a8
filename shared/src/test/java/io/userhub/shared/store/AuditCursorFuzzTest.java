package io.userhub.shared.store;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit cursor: whatever a client sends back is the positions of a page or an
 * IllegalArgumentException (which the route answers 400 naming the cursor), never another
 * exception. The input is base64url-encoded first, as a cursor arrives. Corpus: AuditCursorFuzzTestInputs/.
 */
class AuditCursorFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyCursorIsPositionsOrRefused(byte[] decoded) {
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(decoded);
        Map<String, String> positions;
        try {
            positions = AuditTrail.positions(cursor);
        } catch (IllegalArgumentException notACursor) {
            return;
        }
        assertThat(positions).allSatisfy((name, position) -> {
            assertThat(name).matches("user|[a-z_]+");
            assertThat(position).matches("\\d{13}(#.*)?");
        });
    }
}
