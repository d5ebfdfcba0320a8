package io.userhub.functions.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SignedModeVerification;
import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a customer moving a live integration from HelpCrunch, Sunshine Conversations or Helpshift
 * Web Chat meets on the first day, over the handlers' HTTP events.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class MigrationFromSeedsIT {

    private static AppSettings userIdMode(AppSettings s) {
        return s.withLoginModes(EnumSet.allOf(LoginMode.class));
    }

    private static Response userIdLogin(Harness h, String device, String userJson) {
        return h.login((ObjectNode) Json.parseObject(("{\"device_id\":\"" + device + "\",\"user\":" + userJson + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow());
    }

    private static List<JsonNode> logins(Harness h) {
        List<JsonNode> records = new ArrayList<>();
        h.appAudit("kind", "login").body().path("records").forEach(records::add);
        return records;
    }

    // ---- HelpCrunch: numeric user ids ----------------------------------------------------------

    @Test
    void aNumericUserIdIsTheSameUserAsItsDecimalString() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        Response number = userIdLogin(h, "desktop", "{\"user_id\":12345,\"name\":\"Ada\"}");
        assertThat(number.status()).isEqualTo(200);
        Response text = userIdLogin(h, "laptop", "{\"user_id\":\"12345\"}");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.text("/user/id")).isEqualTo(number.text("/user/id"));
        assertThat(text.text("/user/display_name")).isEqualTo("Ada");

        Response largest = userIdLogin(h, "d3", "{\"user_id\":9007199254740992}");
        assertThat(largest.status()).isEqualTo(200);
        assertThat(userIdLogin(h, "d4", "{\"user_id\":\"9007199254740992\"}").text("/user/id")).isEqualTo(largest.text("/user/id"));
    }

    @Test
    void otherNumberFormsAreRefusedWithWhatIsWrongAndWriteNothing() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        assertRefusedUserId(h, "12345.0", "NOT_AN_INTEGER");
        assertRefusedUserId(h, "12345.5", "NOT_AN_INTEGER");
        assertRefusedUserId(h, "1.2345e4", "NOT_AN_INTEGER");
        assertRefusedUserId(h, "12345E0", "NOT_AN_INTEGER");
        assertRefusedUserId(h, "-12345", "NEGATIVE_NUMBER");
        assertRefusedUserId(h, "9007199254740993", "NUMBER_TOO_LARGE");
        assertRefusedUserId(h, "123456789012345678901234567890", "NUMBER_TOO_LARGE");
        assertRefusedUserId(h, "true", "INVALID_VALUE_TYPE");
        assertRefusedUserId(h, "[12345]", "INVALID_VALUE_TYPE");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
    }

    private static void assertRefusedUserId(Harness h, String json, String code) {
        Response refused = userIdLogin(h, "d", "{\"user_id\":" + json + "}");
        assertThat(refused.status()).as(json).isEqualTo(400);
        assertThat(refused.reason()).as(json).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(refused.text("/errors/user_id")).as(json).isEqualTo(code);
        assertThat(refused.body().at("/details/invalidFields").toString()).as(json).isEqualTo("[\"user_id\"]");
    }

    // ---- HelpCrunch: imported users and the unverified namespace --------------------------------

    @Test
    void aUserIdLoginWithoutProofSaysItIsUnverifiedAndWhetherItMissedAVerifiedProfile() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        assertThat(h.importCsv("user_id,name\nimp-1,Imported Ida\n").status()).isEqualTo(200);
        String imported = h.lookup("uid", "imp-1").text("/user/id");

        Response split = userIdLogin(h, "d1", "{\"user_id\":\"imp-1\"}");
        assertThat(split.status()).isEqualTo(200);
        assertThat(split.text("/user/id")).isNotEqualTo(imported);
        assertThat(split.body().at("/user/verified").asBoolean(true)).isFalse();
        assertThat(split.text("/user/unverified_reason")).isEqualTo("USER_ID_NOT_VERIFIED");
        assertThat(split.body().at("/user/verified_profile_exists").isMissingNode())
                .as("an unauthenticated caller is not told which user ids exist").isTrue();

        Response alone = userIdLogin(h, "d2", "{\"user_id\":\"never-imported\"}");
        assertThat(alone.body().at("/user/verified").asBoolean(true)).isFalse();
        JsonNode aloneRecord = logins(h).stream().filter(r -> r.path("user_id").asText().equals(alone.text("/user/id"))).findFirst().orElseThrow();
        assertThat(aloneRecord.at("/details/verified_profile_exists").asBoolean(true)).isFalse();

        JsonNode record = logins(h).stream().filter(r -> r.path("user_id").asText().equals(split.text("/user/id"))).findFirst().orElseThrow();
        assertThat(record.at("/details/verified").asBoolean(true)).isFalse();
        assertThat(record.at("/details/unverified_reason").asText()).isEqualTo("USER_ID_NOT_VERIFIED");
        assertThat(record.at("/details/verified_profile_exists").asBoolean()).isTrue();
    }

    @Test
    void signedLoginsSayTheyAreVerified() {
        Harness h = new Harness();
        Response signed = h.login("d", h.identitiesToken("uid", "u-1"));
        assertThat(signed.body().at("/user/verified").asBoolean()).isTrue();
        assertThat(signed.body().at("/user/unverified_reason").isMissingNode()).isTrue();
        assertThat(h.login("d2", "").body().at("/user/verified").isMissingNode()).as("an anonymous user is neither").isTrue();
    }

    @Test
    void unsignedIdentitiesUnderStagedEnforcementSayWhy() {
        Harness h = new Harness(s -> s.withVerification(SignedModeVerification.OPTIONAL));
        Response unsigned = h.login((ObjectNode) Json.parseObject(
                "{\"device_id\":\"d\",\"identities\":[{\"identifier\":\"uid\",\"value\":\"u-9\"}]}".getBytes()).orElseThrow());
        assertThat(unsigned.status()).isEqualTo(200);
        assertThat(unsigned.text("/user/unverified_reason")).isEqualTo("UNSIGNED_IDENTITIES");
    }

    @Test
    void aSecurityHashSetAtImportIsTheOnlyWayInToTheImportedProfile() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        Response imported = h.importCsv("user_id,name,security_hash\nimp-2,Imported Ivy,s3cret-hash\n");
        assertThat(imported.body().at("/summary/created").asInt()).isEqualTo(1);
        String importedId = h.lookup("uid", "imp-2").text("/user/id");
        assertThat(h.storedItems()).noneMatch(item -> item.toString().contains("s3cret-hash"));

        Response withHash = userIdLogin(h, "d1", "{\"user_id\":\"imp-2\",\"security_hash\":\"s3cret-hash\"}");
        assertThat(withHash.status()).isEqualTo(200);
        assertThat(withHash.text("/user/id")).isEqualTo(importedId);
        assertThat(withHash.body().at("/user/verified").asBoolean()).isTrue();
        assertThat(withHash.text("/user/display_name")).isEqualTo("Imported Ivy");
        JsonNode record = logins(h).stream().filter(r -> r.path("user_id").asText().equals(importedId)).findFirst().orElseThrow();
        assertThat(record.at("/details/verified_by").asText()).isEqualTo("imported_security_hash");

        Response without = userIdLogin(h, "d2", "{\"user_id\":\"imp-2\"}");
        assertThat(without.status()).isEqualTo(403);
        assertThat(without.reason()).isEqualTo("SECURITY_HASH_MISMATCH");
        Response wrong = userIdLogin(h, "d2", "{\"user_id\":\"imp-2\",\"security_hash\":\"guess\"}");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().equals(io.userhub.shared.store.SessionStore.deviceKey(h.app.appId(), "d2")));

        Response again = h.importCsv("user_id,name,security_hash\nimp-2,Imported Ivy,s3cret-hash\n");
        assertThat(again.body().at("/summary/unchanged").asInt()).isEqualTo(1);
        Response rotated = h.importCsv("user_id,name,security_hash\nimp-2,Imported Ivy,new-hash\n");
        assertThat(rotated.body().at("/summary/updated").asInt()).isEqualTo(1);
        assertThat(userIdLogin(h, "d3", "{\"user_id\":\"imp-2\",\"security_hash\":\"s3cret-hash\"}").status()).isEqualTo(403);
        assertThat(userIdLogin(h, "d3", "{\"user_id\":\"imp-2\",\"security_hash\":\"new-hash\"}").text("/user/id")).isEqualTo(importedId);

        Response erased = h.erase(importedId);
        assertThat(erased.body().at("/deleted/security_hash_pins").asInt()).isEqualTo(1);
        assertThat(h.storedItems()).noneMatch(item -> item.get("pk").s().startsWith("A#" + h.app.appId() + "#PIN#"));
    }

    @Test
    void theImportsPinOpensOnlyTheProfileThatStillHoldsTheUserId() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        h.importCsv("user_id,security_hash\nimp-4,hash-4\n");
        String imported = h.lookup("uid", "imp-4").text("/user/id");
        String claimKey = io.userhub.shared.store.ClaimItem.partition(h.app.domainId(), io.userhub.shared.model.Identity.uid("imp-4"));

        // the claim released by an erase that has not reached the pin yet: never a new verified profile
        var claim = h.storedItems().stream().filter(i -> i.get("pk").s().equals(claimKey)).findFirst().orElseThrow();
        h.wiring.dynamo().deleteItem(b -> b.tableName(h.wiring.tables().users()).key(java.util.Map.of("pk", claim.get("pk"), "sk", claim.get("sk"))));
        Response released = userIdLogin(h, "d1", "{\"user_id\":\"imp-4\",\"security_hash\":\"hash-4\"}");
        assertThat(released.status()).isEqualTo(503);
        assertThat(released.reason()).isEqualTo("SERVICE_BUSY");

        // the user id held by another profile now: the pin names a profile that no longer holds it
        var moved = new java.util.HashMap<>(claim);
        moved.put("user_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("0".repeat(31) + "1"));
        h.wiring.dynamo().putItem(b -> b.tableName(h.wiring.tables().users()).item(moved));
        Response changed = userIdLogin(h, "d1", "{\"user_id\":\"imp-4\",\"security_hash\":\"hash-4\"}");
        assertThat(changed.status()).isEqualTo(403);
        assertThat(changed.text("/details/problem")).isEqualTo("PINNED_PROFILE_CHANGED");

        h.wiring.dynamo().putItem(b -> b.tableName(h.wiring.tables().users()).item(claim));
        assertThat(userIdLogin(h, "d1", "{\"user_id\":\"imp-4\",\"security_hash\":\"hash-4\"}").text("/user/id")).isEqualTo(imported);
    }

    @Test
    void erasingTheUnverifiedTwinLeavesTheImportsPinAndALoginNeverReplacesIt() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        // an unproven login pins its hash first, then the import pins its own for the same user id
        Response twin = userIdLogin(h, "d1", "{\"user_id\":\"imp-5\",\"security_hash\":\"twin-hash\"}");
        assertThat(twin.status()).isEqualTo(200);
        h.importCsv("user_id,security_hash\nimp-5,import-hash\n");
        String imported = h.lookup("uid", "imp-5").text("/user/id");
        assertThat(userIdLogin(h, "d2", "{\"user_id\":\"imp-5\",\"security_hash\":\"twin-hash\"}").status()).isEqualTo(403);

        assertThat(h.erase(twin.text("/user/id")).body().at("/deleted/security_hash_pins").asInt()).isZero();
        assertThat(userIdLogin(h, "d3", "{\"user_id\":\"imp-5\",\"security_hash\":\"import-hash\"}").text("/user/id"))
                .isEqualTo(imported);
    }

    @Test
    void withHmacVerificationTheImportsPinPlaysNoPart() {
        Harness h = new Harness(s -> userIdMode(s).withUserIdVerification(io.userhub.shared.model.UserIdVerification.HMAC));
        h.importCsv("user_id,security_hash\nimp-6,import-hash\n");
        String imported = h.lookup("uid", "imp-6").text("/user/id");
        String hmac = io.userhub.shared.token.UserIdSignatures.sign(h.app.secret(), "imp-6");
        Response verified = userIdLogin(h, "d1", "{\"user_id\":\"imp-6\",\"security_hash\":\"" + hmac + "\"}");
        assertThat(verified.text("/user/id")).isEqualTo(imported);
        assertThat(verified.body().at("/user/verified").asBoolean()).isTrue();
        assertThat(userIdLogin(h, "d2", "{\"user_id\":\"imp-6\",\"security_hash\":\"import-hash\"}").status()).isEqualTo(403);
    }

    @Test
    void theImportsPinBelongsToTheAppItRanFor() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        h.importCsv("user_id,security_hash\nimp-7,hash-7\n");
        io.userhub.testkit.TestApps.TestApp sibling = io.userhub.testkit.TestApps.create(h.appStore, h.app.domainId(), true,
                MigrationFromSeedsIT::userIdMode);
        Harness other = new Harness(sibling);
        Response unproven = userIdLogin(other, "d1", "{\"user_id\":\"imp-7\"}");
        assertThat(unproven.status()).isEqualTo(200);
        assertThat(unproven.text("/user/unverified_reason")).isEqualTo("USER_ID_NOT_VERIFIED");
        assertThat(unproven.text("/user/id")).isNotEqualTo(h.lookup("uid", "imp-7").text("/user/id"));
    }

    @Test
    void anImportedSecurityHashLongerThanALoginCanSendIsRefusedByRow() {
        Harness h = new Harness(MigrationFromSeedsIT::userIdMode);
        Response response = h.importCsv("user_id,security_hash\nimp-3," + "h".repeat(256) + "\n");
        assertThat(response.body().at("/results/0/status").asText()).isEqualTo("rejected");
        assertThat(response.body().at("/results/0/errors/security_hash").asText()).isEqualTo("VALUE_LENGTH_LIMIT_EXCEEDED");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
    }

    // ---- Sunshine Conversations tokens -----------------------------------------------------------

    private static Response externalLogin(Harness h, String device, String externalId, String payload) {
        ObjectNode body = Json.object().put("external_id", externalId).put("device_id", device)
                .put("jwt", TestTokens.hs256(h.app.kid(), h.app.secret(), payload));
        return h.login(body);
    }

    @Test
    void strictByDefaultTheFourSunshineFormsAreRefused() {
        Harness h = new Harness();
        long now = h.now();
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\"}").reason()).isEqualTo("IAT_IS_MANDATORY");
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\",\"iat\":" + (now - 90_000)
                + ",\"exp\":" + (now + 3600) + "}").text("/details/cause")).isEqualTo("TOO_OLD");
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\",\"iat\":" + now
                + ",\"exp\":\"" + (now + 3600) + "\"}").text("/details/cause")).isEqualTo("MALFORMED");
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"appUser\",\"userId\":\"c-1\",\"iat\":" + now + "}").reason())
                .isEqualTo("EXTERNAL_ID_INVALID");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
    }

    @Test
    void sunshineCompatibilityAcceptsWhatSunshineAcceptsAndNamesItInTheAuditTrail() {
        Harness h = new Harness(s -> s.withSunshineCompatibility(true));
        long now = h.now();
        Response noIat = externalLogin(h, "d1", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\"}");
        assertThat(noIat.status()).isEqualTo(200);
        Response old = externalLogin(h, "d2", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\",\"iat\":" + (now - 90_000)
                + ",\"exp\":" + (now + 3600) + "}");
        assertThat(old.status()).isEqualTo(200);
        Response stringExp = externalLogin(h, "d3", "c-1", "{\"scope\":\"user\",\"exp\":\"" + (now + 3600) + "\",\"external_id\":\"c-1\"}");
        assertThat(stringExp.status()).isEqualTo(200);
        Response appUser = externalLogin(h, "d4", "c-1", "{\"scope\":\"appUser\",\"userId\":\"c-1\"}");
        assertThat(appUser.status()).isEqualTo(200);
        assertThat(List.of(old, stringExp, appUser)).allSatisfy(r -> assertThat(r.text("/user/id")).isEqualTo(noIat.text("/user/id")));
        assertThat(h.login("d5", h.identitiesToken("uid", "c-1")).text("/user/id")).as("the same person as a uid").isEqualTo(noIat.text("/user/id"));

        List<String> named = logins(h).stream().map(r -> r.at("/details/sunshine_compatibility").asText("")).toList();
        assertThat(named).contains("IAT_ABSENT", "IAT_PAST_MAX_AGE", "IAT_ABSENT,EXP_AS_STRING", "IAT_ABSENT,APP_USER_SCOPE");
        assertThat(named).as("the identities-JWT login used no relaxation").contains("");
    }

    @Test
    void sunshineCompatibilityStillHonoursExpAndRefusesEverythingElse() {
        Harness h = new Harness(s -> s.withSunshineCompatibility(true));
        long now = h.now();
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\",\"exp\":\"" + (now - 3600) + "\"}")
                .text("/details/cause")).isEqualTo("EXPIRED");
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\",\"exp\":" + (now - 3600) + "}")
                .text("/details/cause")).isEqualTo("EXPIRED");
        for (String badExp : List.of("\"12abc\"", "\"-5\"", "\" 1700000000\"", "\"1e10\"", "\"99999999999999\"")) {
            assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\",\"exp\":" + badExp + "}")
                    .text("/details/cause")).as(badExp).isEqualTo("MALFORMED");
        }
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"user\",\"external_id\":\"c-1\",\"iat\":\"" + now + "\"}")
                .text("/details/cause")).as("only exp may be a string").isEqualTo("MALFORMED");
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"appUser\",\"userId\":\"c-2\"}").reason()).isEqualTo("EXTERNAL_ID_INVALID");
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"appUser\",\"userId\":7}").reason()).isEqualTo("EXTERNAL_ID_INVALID");
        assertThat(externalLogin(h, "d", "c-1", "{\"scope\":\"app\",\"external_id\":\"c-1\"}").reason()).isEqualTo("EXTERNAL_ID_INVALID");
        ObjectNode forged = Json.object().put("external_id", "c-1").put("device_id", "d")
                .put("jwt", TestTokens.hs256(h.app.kid(), "not-the-secret-not-the-secret-32b", "{\"scope\":\"user\",\"external_id\":\"c-1\"}"));
        assertThat(h.login(forged).text("/details/cause")).isEqualTo("SIGNATURE");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
    }

    // ---- Web Chat: identity feature off, and the invalid-payload details --------------------------

    @Test
    void withTheIdentityFeatureOffIdentitiesAndAttributesAreRefusedAndNothingIsWritten() {
        Harness h = new Harness();
        String session = h.sessionFor("d", "uid", "u-1");
        h.appStore.setIdentityEnabled(h.app.appId(), false);
        h.clock.advance(Duration.ofMinutes(2));
        var before = userData(h);

        Response identities = h.addIdentities(session, h.identitiesToken("email", "u1@example.com"));
        assertThat(identities.status()).isEqualTo(403);
        assertThat(identities.reason()).isEqualTo("IDENTITY_FEATURE_NOT_ENABLED");
        assertThat(identities.body().path("error").asText()).isEqualTo("ADD_USER_IDENTITY_FAILED");
        Response attributes = h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Ada\"}}]}");
        assertThat(attributes.status()).isEqualTo(403);
        assertThat(attributes.reason()).isEqualTo("IDENTITY_FEATURE_NOT_ENABLED");
        assertThat(userData(h)).isEqualTo(before);

        assertThat(h.session(session).status()).as("a client can still see its session").isEqualTo(200);
        assertThat(h.logout(session).status()).as("and leave").isEqualTo(200);
    }

    /** Profiles, claims, devices and sessions: not the audit records, nor the key-use notes written in the background. */
    private static java.util.Set<java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> userData(Harness h) {
        return java.util.Set.copyOf(h.storedItemsBesidesAudit().stream().filter(item -> !item.get("pk").s().contains("#KEYUSE#")).toList());
    }

    @Test
    void invalidIdentitiesCarryWebChatsDetailListsBesideThePerKeyMap() {
        Harness h = new Harness();
        String token = h.token("{\"iat\":" + h.now() + ",\"identities\":[{\"identifier\":\"uid\",\"value\":\"u-1\"},"
                + "{\"identifier\":\"email\",\"value\":\"null\"},{\"identifier\":\"myspace_id\",\"value\":\"x\"},"
                + "{\"identifier\":\"phone_number\",\"value\":\"+1\",\"metadata\":{\"label\":\"\"}}]}");
        Response login = h.login("d", token);
        assertThat(login.reason()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(login.text("/errors/email")).isEqualTo("BLOCKED_VALUE");
        JsonNode details = login.body().path("details");
        assertThat(details.path("invalidIdentities").toString()).isEqualTo("[\"email\",\"myspace_id\"]");
        assertThat(details.path("invalidFields").toString()).isEqualTo("[\"label\"]");
        assertThat(details.path("missingFields").toString()).isEqualTo("[]");
        assertThat(details.path("invalidIdentityTokens").toString()).isEqualTo("[\"identity_token\"]");

        String session = h.sessionFor("d2", "uid", "u-2");
        Response added = h.addIdentities(session, h.identitiesToken("email", "undefined"));
        assertThat(added.reason()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(added.body().at("/details/invalidIdentities").toString()).isEqualTo("[\"email\"]");
        assertThat(added.body().at("/details/invalidIdentityTokens").toString()).isEqualTo("[\"identity_token\"]");

        Harness staged = new Harness(s -> s.withVerification(SignedModeVerification.OPTIONAL));
        Response noUid = staged.login((ObjectNode) Json.parseObject(
                "{\"device_id\":\"d\",\"identities\":[{\"identifier\":\"email\",\"value\":\"a@example.com\"}]}".getBytes()).orElseThrow());
        assertThat(noUid.reason()).isEqualTo("IDENTITIES_DATA_INVALID");
        assertThat(noUid.body().at("/details/missingFields").toString()).isEqualTo("[\"uid\"]");
        assertThat(noUid.body().at("/details/invalidIdentityTokens").toString()).as("no token was sent").isEqualTo("[]");
    }
}
