package io.userhub.functions.users;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.validation.Rejection;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSV import before anything is written: the CSV reader and the row rules. Any file is a
 * refusal of the file or a result for each row, never another exception. Corpus: ImportFileFuzzTestInputs/.
 */
class ImportFileFuzzTest {
    private static final AppConfig APP = new AppConfig("fuzz-app", "fuzz-dom", true, List.of(), List.of(),
            AppSettings.defaults().withCustomFieldSchema(Map.of("plan", "dropdown", "seats", "number", "born", "date")));

    @FuzzTest(maxDuration = "60s")
    void anyFileIsReadOrRefused(FuzzedDataProvider data) {
        String csv = data.consumeRemainingAsString();
        try {
            List<List<String>> table = Csv.parse(csv);
            assertThat(table).allSatisfy(row -> assertThat(row).isNotEmpty());
        } catch (Csv.MalformedCsv unterminated) {
            assertThat(unterminated.line).isPositive();
        }
        try {
            ImportUsersUseCase.ReadFile file = ImportUsersUseCase.read(APP, csv);
            assertThat(file.rejected()).allSatisfy(row -> assertThat(row.status()).isEqualTo(ImportUsersUseCase.Status.REJECTED));
            assertThat(file.valid()).allSatisfy(row -> assertThat(row.userIdValue()).isNotBlank());
        } catch (Rejection refused) {
            assertThat(refused.problem().reason().httpStatus()).isBetween(400, 499);
        }
    }
}
