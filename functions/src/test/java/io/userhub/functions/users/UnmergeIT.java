package io.userhub.functions.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.model.AnonymousPolicy;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /v1/apps/{appId}/users/{userId}/unmerge: merges with lineage, undone where it is safe. */
@ExtendWith(DynamoDbLocalExtension.class)
class UnmergeIT {

    private static String mergeIdOf(Harness h, String userId) {
        JsonNode records = h.userAudit(userId, "kind", "login").body().path("records");
        for (JsonNode record : records) {
            if (record.at("/details/merge_id").isTextual()) {
                return record.at("/details/merge_id").asText();
            }
        }
        throw new AssertionError("no login of " + userId + " merged anything: " + records);
    }

    private static JsonNode user(Harness h, String userId) {
        return h.lookup("user_id", userId).body();
    }

    @Test
    void aMovedIdentityGoesBackToTheProfileItCameFromAndBothProfilesAreAsBefore() {
        Harness h = new Harness();
        String ada = h.login("ada-phone", h.identitiesToken("uid", "ada", "email", "shared@example.com")).text("/user/id");
        JsonNode adaBefore = user(h, ada).path("user").path("identities");
        h.clock.advance(Duration.ofMinutes(1));
        String bob = h.login("bob-phone", h.identitiesToken("uid", "bob", "email", "shared@example.com")).text("/user/id");
        assertThat(h.lookup("email", "shared@example.com").text("/user/id")).isEqualTo(bob);
        String mergeId = mergeIdOf(h, bob);
        assertThat(h.appAudit("kind", "identity_moved").body().at("/records/0/details/cause_id").asText()).isEqualTo(mergeId);

        h.clock.advance(Duration.ofMinutes(1));
        Response undone = h.unmerge(bob, mergeId);

        assertThat(undone.status()).as(undone.body().toString()).isEqualTo(200);
        assertThat(undone.body().at("/restored_identities/0/identifier").asText()).isEqualTo("email");
        assertThat(undone.body().at("/restored_identities/0/to_user_id").asText()).isEqualTo(ada);
        assertThat(h.lookup("email", "shared@example.com").text("/user/id")).isEqualTo(ada);
        assertThat(user(h, ada).path("user").path("identities")).isEqualTo(adaBefore);
        assertThat(user(h, bob).at("/user/identities").findValuesAsText("identifier")).containsExactly("uid");
        assertThat(user(h, bob).at("/user/identity_history").toString()).contains("unmerged_out");
        assertThat(h.userAudit(bob, "kind", "unmerge").body().at("/records/0/details/merge_id").asText()).isEqualTo(mergeId);

        Response again = h.unmerge(bob, mergeId);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.reason()).isEqualTo("UNMERGE_REFUSED");
        assertThat(again.text("/details/problem")).isEqualTo("ALREADY_UNDONE");
        // Ada logs in again with her own claim's time: nothing moves.
        assertThat(h.login("ada-phone", h.identitiesToken("uid", "ada", "email", "shared@example.com")).text("/user/id")).isEqualTo(ada);
    }

    @Test
    void anAnonymousMergeIsUndoneTheAnonymousUserRestoredAndAnAttributeChangedSinceIsKept() {
        Harness h = new Harness(s -> s.withAnonymousPolicy(AnonymousPolicy.MERGE));
        String known = h.sessionFor("laptop", "uid", "known");
        h.attributes(known, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"last_name\":\"Smith\"}}]}");
        String knownId = h.session(known).text("/user/id");
        String tablet = h.sessionFor("tablet");
        String anonymousId = h.session(tablet).text("/user/id");
        assertThat(h.attributes(tablet, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Anon\",\"new_tags\":[\"anon-tag\"]}},"
                + "{\"type\":\"app\",\"attributes\":{\"app_version\":\"1\",\"country\":\"FR\"}}]}").status()).isEqualTo(200);
        h.clock.advance(Duration.ofSeconds(1));
        String merged = h.sessionFor("tablet", "uid", "known");
        assertThat(user(h, knownId).at("/user/global/first_name").asText()).isEqualTo("Anon");
        assertThat(user(h, anonymousId).at("/user/merged_into").asText()).isEqualTo(knownId);
        // After the merge the user changes one merged attribute: that one must stay.
        h.clock.advance(Duration.ofMinutes(2));
        assertThat(h.attributes(merged, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"app_version\":\"2\"}}]}").status()).isEqualTo(200);
        String mergeId = mergeIdOf(h, knownId);

        Response undone = h.unmerge(knownId, mergeId);

        assertThat(undone.status()).as(undone.body().toString()).isEqualTo(200);
        assertThat(undone.text("/restored_anonymous_user_id")).isEqualTo(anonymousId);
        assertThat(undone.body().path("attributes_kept")).extracting(JsonNode::asText).containsExactly("app." + h.app.appId() + ".app_version");
        assertThat(undone.body().path("attributes_removed")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "global.first_name", "tags.anon-tag", "app." + h.app.appId() + ".country");
        JsonNode after = user(h, knownId);
        assertThat(after.at("/user/global/last_name").asText()).isEqualTo("Smith");
        assertThat(after.at("/user/global/first_name").isMissingNode()).isTrue();
        assertThat(after.at("/user/tags")).isEmpty();
        assertThat(after.at("/app/attributes/app_version").asText()).isEqualTo("2");
        assertThat(after.at("/app/attributes/country").isMissingNode()).isTrue();
        JsonNode anonymous = user(h, anonymousId);
        assertThat(anonymous.at("/user/merged_into").isMissingNode()).isTrue();
        assertThat(anonymous.at("/user/global/first_name").asText()).isEqualTo("Anon");
        assertThat(anonymous.at("/app/attributes/country").asText()).isEqualTo("FR");
    }

    @Test
    void anUnmergeIsRefusedWhereALaterChangeMakesItUnsafeAndAnUnknownMergeIsNotFound() {
        Harness h = new Harness();
        String ada = h.login("a", h.identitiesToken("uid", "ada", "email", "moving@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        String bob = h.login("b", h.identitiesToken("uid", "bob", "email", "moving@example.com")).text("/user/id");
        String first = mergeIdOf(h, bob);
        h.clock.advance(Duration.ofMinutes(1));
        h.login("c", h.identitiesToken("uid", "carol", "email", "moving@example.com"));

        Response unsafe = h.unmerge(bob, first);
        assertThat(unsafe.status()).isEqualTo(409);
        assertThat(unsafe.text("/details/problem")).isEqualTo("IDENTITY_CHANGED_SINCE");
        assertThat(unsafe.text("/details/identifier")).isEqualTo("email");
        assertThat(h.lookup("email", "moving@example.com").text("/user/id")).isNotIn(ada, bob);

        assertThat(h.unmerge(bob, "0123456789abcdef").reason()).isEqualTo("MERGE_NOT_FOUND");
        assertThat(h.unmerge(bob, "not-an-id").text("/errors/merge_id")).isEqualTo("INVALID_VALUE");
        assertThat(h.unmerge(ada, first).reason()).as("a merge belongs to the user it merged into").isEqualTo("MERGE_NOT_FOUND");
        Harness other = new Harness();
        Response otherApp = Harness.call(h.unmergeHandler.handleRequest(io.userhub.testkit.ApiEvents.post("/v1/apps/{appId}/users/{userId}/unmerge",
                "/v1/apps/" + h.app.appId() + "/users/" + bob + "/unmerge").pathParameter("appId", h.app.appId()).pathParameter("userId", bob)
                .bearer(other.app.apiKey()).body("{\"merge_id\":\"" + first + "\"}").build(), null));
        assertThat(otherApp.status()).as("another app's API key").isEqualTo(401);
    }

    @Test
    void aMergeWhosePreviousOwnerWasErasedIsRefusedAndErasingTheUserErasesItsLineage() {
        Harness h = new Harness();
        String ada = h.login("a", h.identitiesToken("uid", "ada", "email", "gone@example.com")).text("/user/id");
        h.clock.advance(Duration.ofMinutes(1));
        String bob = h.login("b", h.identitiesToken("uid", "bob", "email", "gone@example.com")).text("/user/id");
        String mergeId = mergeIdOf(h, bob);
        assertThat(h.erase(ada).status()).isEqualTo(200);

        Response refused = h.unmerge(bob, mergeId);
        assertThat(refused.text("/details/problem")).isEqualTo("PREVIOUS_OWNER_GONE");
        Response erased = h.erase(bob);
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.body().at("/deleted/app_data").asInt()).as("a lineage is not app data").isZero();
        assertThat(h.storedItemsBesidesAudit()).noneMatch(item -> item.get("sk").s().startsWith("MERGE#"));
    }
}
