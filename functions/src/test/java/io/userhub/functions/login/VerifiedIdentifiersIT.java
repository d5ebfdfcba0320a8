package io.userhub.functions.login;

import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An identity the customer's backend says is unverified (an address typed into a sign-up form)
 * is kept on the profile but never claims, moves or merges, and never decides where a login lands.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class VerifiedIdentifiersIT {

    private static String token(Harness h, String extraClaims, String identitiesJson) {
        return h.token("{\"iat\":" + h.now() + extraClaims + ",\"identities\":" + identitiesJson + "}");
    }

    private static List<JsonNode> identities(Response lookup) {
        List<JsonNode> list = new ArrayList<>();
        lookup.body().at("/user/identities").forEach(list::add);
        return list;
    }

    @Test
    void anUnverifiedEmailIsKeptOnTheProfileButClaimsNothing() {
        Harness h = new Harness();
        Response owner = h.login("d1", h.identitiesToken("uid", "owner", "email", "shared@example.com"));
        Response squatter = h.login("d2", token(h, ",\"email_verified\":false",
                "[{\"identifier\":\"uid\",\"value\":\"squatter\"},{\"identifier\":\"email\",\"value\":\"shared@example.com\"}]"));
        assertThat(squatter.status()).isEqualTo(200);
        assertThat(squatter.text("/user/id")).isNotEqualTo(owner.text("/user/id"));
        assertThat(squatter.body().has("identities_not_moved")).as("it did not even try to move").isFalse();
        assertThat(h.lookup("email", "shared@example.com").text("/user/id")).as("the claim stays the owner's").isEqualTo(owner.text("/user/id"));

        List<JsonNode> shown = identities(h.lookup("uid", "squatter"));
        assertThat(shown).anySatisfy(i -> {
            assertThat(i.path("identifier").asText()).isEqualTo("email");
            assertThat(i.path("verified").asBoolean(true)).isFalse();
        });
        assertThat(shown).anySatisfy(i -> {
            assertThat(i.path("identifier").asText()).isEqualTo("uid");
            assertThat(i.path("verified").asBoolean()).isTrue();
        });
    }

    @Test
    void anUnverifiedEmailNeverResolvesALoginAndAloneIsRefused() {
        Harness h = new Harness();
        h.login("d1", h.identitiesToken("uid", "owner", "email", "owner@example.com"));
        Response emailOnly = h.login("d2", token(h, ",\"email_verified\":\"false\"", "[{\"identifier\":\"email\",\"value\":\"owner@example.com\"}]"));
        assertThat(emailOnly.status()).isEqualTo(400);
        assertThat(emailOnly.reason()).isEqualTo("UID_OR_EMAIL_IS_MANDATORY");
        assertThat(emailOnly.text("/details/problem")).isEqualTo("EMAIL_UNVERIFIED");
        assertThat(h.storedItemsBesidesAudit().stream().filter(i -> i.get("pk").s().contains("#DEV#")).count()).isEqualTo(1);
    }

    @Test
    void perIdentityMetadataMarksOneIdentityAndAPhoneNumberToo() {
        Harness h = new Harness();
        Response login = h.login("d1", token(h, "", "[{\"identifier\":\"uid\",\"value\":\"u-1\"},"
                + "{\"identifier\":\"email\",\"value\":\"yes@example.com\"},"
                + "{\"identifier\":\"phone_number\",\"value\":\"+15550111\",\"metadata\":{\"verified\":\"false\"}}]"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(h.lookup("email", "yes@example.com").status()).isEqualTo(200);
        assertThat(h.lookup("phone_number", "+15550111").status()).as("no claim").isEqualTo(404);
        assertThat(identities(h.lookup("uid", "u-1"))).anySatisfy(i -> {
            assertThat(i.path("identifier").asText()).isEqualTo("phone_number");
            assertThat(i.path("verified").asBoolean(true)).isFalse();
        });
    }

    @Test
    void anAppCanRequireVerifiedEmailsForClaiming() {
        Harness h = new Harness(s -> s.withRequireVerifiedEmail(true));
        h.login("d1", h.identitiesToken("uid", "a", "email", "unsaid@example.com"));
        assertThat(h.lookup("email", "unsaid@example.com").status()).as("not said to be verified: no claim").isEqualTo(404);
        h.login("d2", token(h, ",\"email_verified\":true", "[{\"identifier\":\"uid\",\"value\":\"b\"},{\"identifier\":\"email\",\"value\":\"said@example.com\"}]"));
        assertThat(h.lookup("email", "said@example.com").status()).isEqualTo(200);
    }

    @Test
    void identityAdditionKeepsUnverifiedIdentitiesWithoutClaimingThem() {
        Harness h = new Harness();
        String session = h.sessionFor("d1", "uid", "u-3");
        Response added = h.addIdentities(session, token(h, ",\"phone_number_verified\":false",
                "[{\"identifier\":\"phone_number\",\"value\":\"+15550133\"},{\"identifier\":\"email\",\"value\":\"u3@example.com\"}]"));
        assertThat(added.status()).isEqualTo(200);
        assertThat(h.lookup("phone_number", "+15550133").status()).isEqualTo(404);
        assertThat(h.lookup("email", "u3@example.com").status()).isEqualTo(200);
        assertThat(identities(h.lookup("uid", "u-3"))).anySatisfy(i -> {
            assertThat(i.path("identifier").asText()).isEqualTo("phone_number");
            assertThat(i.path("verified").asBoolean(true)).isFalse();
        });
    }

    @Test
    void mintingAppliesTheSameRuleSoAMintedTokenNeverFailsLogin() {
        Harness h = new Harness();
        Response minted = h.mint((com.fasterxml.jackson.databind.node.ObjectNode) io.userhub.shared.json.Json.parseObject(
                "{\"identities\":[{\"identifier\":\"email\",\"value\":\"m@example.com\",\"metadata\":{\"verified\":\"false\"}}]}"
                        .getBytes()).orElseThrow());
        assertThat(minted.status()).isEqualTo(400);
        assertThat(minted.text("/details/problem")).isEqualTo("EMAIL_UNVERIFIED");
        Response dryRun = h.rulesDryRun("{\"samples\":[{\"identities\":[{\"identifier\":\"uid\",\"value\":\"dr-1\"},"
                + "{\"identifier\":\"email\",\"value\":\"taken@example.com\",\"metadata\":{\"verified\":\"false\"}}]}]}");
        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(dryRun.body().at("/results/0/current/moves").size()).as("an unverified email moves nothing, in the dry run too").isZero();
    }

    @Test
    void aLaterVerifiedAssertionClaimsTheIdentity() {
        Harness h = new Harness();
        h.login("d1", token(h, ",\"email_verified\":false", "[{\"identifier\":\"uid\",\"value\":\"u-2\"},{\"identifier\":\"email\",\"value\":\"later@example.com\"}]"));
        assertThat(h.lookup("email", "later@example.com").status()).isEqualTo(404);
        h.clock.advance(java.time.Duration.ofSeconds(5));
        h.login("d1", h.identitiesToken("uid", "u-2", "email", "later@example.com"));
        Response lookup = h.lookup("email", "later@example.com");
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(identities(lookup).stream().filter(i -> i.path("identifier").asText().equals("email")).toList())
                .as("shown once, verified").singleElement().satisfies(i -> assertThat(i.path("verified").asBoolean()).isTrue());
    }
}
