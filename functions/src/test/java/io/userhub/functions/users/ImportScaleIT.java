package io.userhub.functions.users;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.RoundTripRecorder;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 10,000-row file, imported then imported again, with time and DynamoDB calls printed
 * (docs/performance.md). Asserts outcomes and the shape of the work, not the speed.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ImportScaleIT {

    @Test
    void tenThousandRowsImportAndASecondRunWritesNothing() {
        // Tables of its own: 20,000 items would slow every test that scans the shared ones.
        Harness h = Harness.isolated();
        StringBuilder csv = new StringBuilder("user_id,email,name,phone,company,plan\n");
        for (int i = 0; i < ImportUsersUseCase.MAX_ROWS; i++) {
            csv.append("imp-").append(i).append(",user").append(i).append("@example.com,User ").append(i).append(",+1555").append(i)
                    .append(",Acme,").append(i % 2 == 0 ? "gold" : "silver").append('\n');
        }
        System.out.printf("import file: %d rows, %d bytes%n", ImportUsersUseCase.MAX_ROWS, csv.length());

        h.recorder.reset();
        long began = System.nanoTime();
        Response first = h.importCsv(csv.toString());
        long firstMillis = (System.nanoTime() - began) / 1_000_000;
        Map<String, Long> firstCalls = calls(h.recorder);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().at("/summary/created").asInt()).isEqualTo(ImportUsersUseCase.MAX_ROWS);

        h.recorder.reset();
        began = System.nanoTime();
        Response second = h.importCsv(csv.toString());
        long secondMillis = (System.nanoTime() - began) / 1_000_000;
        Map<String, Long> secondCalls = calls(h.recorder);
        assertThat(second.body().at("/summary/unchanged").asInt()).isEqualTo(ImportUsersUseCase.MAX_ROWS);

        System.out.printf("import 10,000 rows: first run %d ms, calls %s; second run %d ms, calls %s%n",
                firstMillis, firstCalls, secondMillis, secondCalls);
        assertThat(firstCalls.get("TransactWriteItems")).isEqualTo((long) ImportUsersUseCase.MAX_ROWS);
        // per 100 rows: the claims, and (for user ids nobody holds) the digests an erase may have left
        assertThat(firstCalls.get("BatchGetItem")).isEqualTo(2L * ImportUsersUseCase.MAX_ROWS / 100);
        assertThat(secondCalls).doesNotContainKeys("TransactWriteItems", "PutItem", "UpdateItem");
    }

    private static Map<String, Long> calls(RoundTripRecorder recorder) {
        return recorder.calls().stream().collect(Collectors.groupingBy(RoundTripRecorder.Call::operation, Collectors.counting()));
    }
}
