package io.userhub.functions.users;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
public class ImportUsersIT {
    private static final String CSV = """
            user_id,email,name,phone,company,plan
            hc-1,ada@example.com,Ada Lovelace,+441,Analytical Engines,gold
            hc-2,"grace@example.com","Hopper, Grace",,Navy,silver
            null,junk@example.com,Junk,,,
            hc-3,too,many,columns,here,x,y
            hc-1,dup@example.com,Duplicate,,,
            hc-4,,"Multi
            Line Name",,,bronze
            """;

    @Test
    void rowsAreUpsertedAndEachGetsAResult() {
        Harness h = new Harness();
        Response response = h.importCsv(CSV);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().at("/summary/rows").asInt()).isEqualTo(6);
        assertThat(response.body().at("/summary/created").asInt()).isEqualTo(3);
        assertThat(response.body().at("/summary/rejected").asInt()).isEqualTo(3);
        var results = response.body().get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("created");
        assertThat(results.get(2).get("reason").asText()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(results.get(2).at("/errors/user_id").asText()).isEqualTo("BLOCKED_VALUE");
        assertThat(results.get(3).get("reason").asText()).isEqualTo("MALFORMED_ROW");
        assertThat(results.get(4).get("reason").asText()).isEqualTo("DUPLICATE_USER_ID");
        assertThat(results.get(5).get("status").asText()).isEqualTo("created");

        Response grace = h.lookup("uid", "hc-2");
        assertThat(grace.text("/user/display_name")).isEqualTo("Hopper, Grace");
        assertThat(grace.text("/user/fields/email")).isEqualTo("grace@example.com");
        assertThat(grace.text("/user/custom_user_fields/plan")).isEqualTo("silver");
        assertThat(h.lookup("uid", "hc-4").text("/user/display_name")).isEqualTo("Multi\nLine Name");
    }

    @Test
    void reRunningTheSameFileChangesNothingAndAChangedFileUpdates() {
        Harness h = new Harness();
        h.importCsv(CSV);
        Response again = h.importCsv(CSV);
        assertThat(again.body().at("/summary/created").asInt()).isZero();
        assertThat(again.body().at("/summary/updated").asInt()).isZero();
        assertThat(again.body().at("/summary/unchanged").asInt()).isEqualTo(3);

        Response changed = h.importCsv("user_id,email,plan\nhc-1,ada@example.com,platinum\nhc-2,grace@example.com,silver\n");
        assertThat(changed.body().at("/results/0/status").asText()).isEqualTo("updated");
        assertThat(changed.body().at("/results/1/status").asText()).isEqualTo("unchanged");
        assertThat(h.lookup("uid", "hc-1").text("/user/custom_user_fields/plan")).isEqualTo("platinum");
    }

    @Test
    void importedUsersAreTheSamePeopleAsVerifiedUserIdLoginsOnly() {
        Harness h = new Harness(s -> s.withLoginModes(EnumSet.allOf(LoginMode.class))
                .withUserIdVerification(io.userhub.shared.model.UserIdVerification.HMAC));
        String imported = h.importCsv("user_id,name\nhc-9,Imported Person\n").text("/results/0/id");
        var body = Json.object().put("device_id", "d");
        body.putObject("user").put("user_id", "hc-9")
                .put("security_hash", io.userhub.shared.token.UserIdSignatures.sign(h.app.secret(), "hc-9"));
        assertThat(h.login(body).text("/user/id")).isEqualTo(imported);

        Harness unverified = new Harness(s -> s.withLoginModes(EnumSet.allOf(LoginMode.class)));
        String importedThere = unverified.importCsv("user_id,name\nhc-9,Imported Person\n").text("/results/0/id");
        var unsigned = Json.object().put("device_id", "d");
        unsigned.putObject("user").put("user_id", "hc-9");
        assertThat(unverified.login(unsigned).text("/user/id")).as("an unverified login never reaches an imported user")
                .isNotEqualTo(importedThere);
    }

    @Test
    void badFilesAreRefusedWhole() {
        Harness h = new Harness();
        assertThat(h.importCsv("email,name\na@b.c,x\n").reason()).isEqualTo("FIELD_INVALID");
        assertThat(h.importCsv("").reason()).isEqualTo("FIELD_INVALID");
        assertThat(h.importCsv("user_id,email\n\"hc-1,unterminated\n").text("/details/problem")).isEqualTo("UNTERMINATED_QUOTE");
        assertThat(h.importCsv("user_id,user_id\nx,y\n").text("/details/problem")).isEqualTo("DUPLICATE_OR_EMPTY_COLUMN");
        StringBuilder tooMany = new StringBuilder("user_id\n");
        for (int i = 0; i <= ImportUsersUseCase.MAX_ROWS; i++) tooMany.append("u").append(i).append('\n');
        Response refused = h.importCsv(tooMany.toString());
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.reason()).isEqualTo("IMPORT_TOO_LARGE");
        assertThat(refused.text("/details/hint")).contains("split");
        assertThat(h.storedItems()).isEmpty();
    }

    @Test
    void aReimportOfAnErasedUserIsCreatedAndReportedWhileTheErasesDigestIsKept() {
        Harness h = new Harness();
        String csv = "user_id,email,name\nhc-erased,gone@example.com,Gone Person\nhc-kept,kept@example.com,Kept\n";
        Response first = h.importCsv(csv);
        assertThat(first.body().at("/summary/previously_erased").asInt()).isZero();
        String erasedId = first.body().at("/results/0/id").asText();
        assertThat(h.erase(erasedId).status()).isEqualTo(200);
        // what the erase keeps is a digest, never the value
        assertThat(h.storedItems()).noneMatch(item -> item.toString().contains("hc-erased"));

        Response again = h.importCsv(csv);
        assertThat(again.body().at("/summary/created").asInt()).isEqualTo(1);
        assertThat(again.body().at("/summary/previously_erased").asInt()).isEqualTo(1);
        assertThat(again.body().at("/results/0/status").asText()).isEqualTo("created");
        assertThat(again.body().at("/results/0/previously_erased_at").asText()).isEqualTo(java.time.Instant.ofEpochSecond(h.now()).toString());
        assertThat(again.body().at("/results/1/previously_erased_at").isMissingNode()).isTrue();

        // past the retention (30 days by default) the digest no longer counts
        assertThat(h.erase(again.body().at("/results/0/id").asText()).status()).isEqualTo(200);
        h.clock.advance(java.time.Duration.ofDays(31));
        assertThat(h.importCsv(csv).body().at("/summary/previously_erased").asInt()).isZero();
    }
}
