package io.userhub.functions.attributes;

import io.userhub.functions.login.LoginCommand;
import io.userhub.functions.login.LoginResult;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.json.Json;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.LoginMode;
import io.userhub.shared.model.SessionRecord;
import io.userhub.shared.model.SessionState;
import io.userhub.shared.model.SigningKey;
import io.userhub.functions.support.InMemoryRules;
import io.userhub.shared.session.SessionAccess;
import io.userhub.shared.session.SessionTokens;
import io.userhub.shared.validation.AttributeRules;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.testkit.InMemoryLoginStore;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attribute rules as a batch meets them: read by {@link AttributeRules} (what is applied,
 * ignored, rejected), refused for signed-only keys, held to the tag cap, applied in one write to
 * the session's user. On the in-memory store, which keeps the DynamoDB store's contract
 * (LoginStoreContract); AttributesIT covers the route and the answer's shape.
 */
class AttributesUseCaseTest {
    private final MutableClock clock = MutableClock.atTestStart();
    private final SigningKey key = new SigningKey("k1", "HS256", Hashing.randomToken(), SigningKey.Status.ACTIVE, 0);
    private final InMemoryLoginStore store = new InMemoryLoginStore();
    private final AttributesUseCase attributes = new AttributesUseCase(store, clock);

    private AppConfig app(Set<String> signedOnlyKeys) {
        return new AppConfig("attr-app", "attr-domain", true, List.of(key), List.of(),
                AppSettings.defaults().withLoginModes(EnumSet.allOf(LoginMode.class)).withSignedOnlyKeys(signedOnlyKeys));
    }

    /** A user logged in on the in-memory store, and its session as the session check hands it to the use case. */
    private SessionAccess.Authenticated loggedIn(AppConfig app, String uid) {
        String token = TestTokens.hs256(key.kid(), key.secret(), TestTokens.identitiesPayload(clock.instant().getEpochSecond(), "uid", uid));
        LoginResult result = InMemoryRules.login(store, clock, app)
                .login(new LoginCommand.IdentitiesLogin(app.appId(), uid + "-phone", token, false, LoginCommand.Expected.NONE, true));
        assertThat(result).isInstanceOf(LoginResult.Success.class);
        LoginResult.Success success = (LoginResult.Success) result;
        return new SessionAccess.Authenticated(app, SessionTokens.issue(app.appId(), uid + "-phone").key(),
                new SessionRecord(success.session(), SessionState.ACTIVE, List.of()));
    }

    private static AttributeRules.Batch batch(String json) {
        return AttributeRules.read(Json.parseObject(json).orElseThrow(), Map.of());
    }

    @Test
    void aBatchAppliesWhatTheRulesAcceptAndReportsTheRest() {
        AppConfig app = app(Set.of());
        SessionAccess.Authenticated ada = loggedIn(app, "ada");
        AttributeRules.Batch batch = batch("""
                {"updates":[
                  {"type":"global","attributes":{"first_name":"Ada","age":36,"new_tags":["vip","beta"],
                                                 "shoe_size":44,"last_name":7}},
                  {"type":"app","attributes":{"app_version":"2.1","custom_user_fields":{"plan":"pro"}}}]}""");

        assertThat(batch.appliedGlobal()).containsExactlyInAnyOrder("first_name", "age", "new_tags");
        assertThat(batch.invalidCoreAttributes()).containsExactly("shoe_size");
        assertThat(batch.ignored()).extracting(AttributeRules.Issue::key, AttributeRules.Issue::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("last_name", "INVALID_VALUE_TYPE"));
        attributes.apply(ada, batch.changes());

        assertThat(store.attributesOf(app.domainId(), ada.record().session().userId())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GLOBAL_ATTRIBUTES.first_name", "Ada",
                "GLOBAL_ATTRIBUTES.age", 36L,
                "TAGS.vip", true,
                "TAGS.beta", true,
                "attr-app/APP_ATTRIBUTES.app_version", "2.1",
                "attr-app/APP_CUSTOM_FIELDS.plan", "pro"));
    }

    @Test
    void aBatchThatWouldLeaveMoreTagsThanTheCapIsRefusedWholeAndWritesNothing() {
        AppConfig app = app(Set.of());
        SessionAccess.Authenticated bob = loggedIn(app, "bob");
        String userId = bob.record().session().userId();
        for (int start = 0; start < Limits.PROFILE_TAGS_MAX; start += Limits.COLLECTION_SIZE_MAX) {
            attributes.apply(bob, tagsAdded(start, Math.min(Limits.PROFILE_TAGS_MAX, start + Limits.COLLECTION_SIZE_MAX)));
        }
        Map<String, Object> full = store.attributesOf(app.domainId(), userId);
        assertThat(full.keySet()).filteredOn(k -> k.startsWith("TAGS.")).hasSize(Limits.PROFILE_TAGS_MAX);

        AttributeRules.Batch oneMore = batch("""
                {"updates":[{"type":"global","attributes":{"first_name":"Bob","new_tags":["one-more"]}}]}""");
        Problem refused = InMemoryRules.refusal(() -> attributes.apply(bob, oneMore.changes()));
        assertThat(refused.reason()).isEqualTo(Reason.TAGS_LIMIT_EXCEEDED);
        assertThat(refused.details()).containsEntry("maxTagsAllowed", Limits.PROFILE_TAGS_MAX);
        assertThat(store.attributesOf(app.domainId(), userId)).isEqualTo(full);

        // swapping one tag for another keeps the count: allowed
        attributes.apply(bob, batch("""
                {"updates":[{"type":"global","attributes":{"new_tags":["swapped-in"],"tags_to_remove":["t0"]}}]}""").changes());
        assertThat(store.attributesOf(app.domainId(), userId)).containsKey("TAGS.swapped-in").doesNotContainKey("TAGS.t0");
    }

    private static io.userhub.shared.model.AttributeChanges tagsAdded(int from, int to) {
        String tags = IntStream.range(from, to).mapToObj(i -> "\"t" + i + "\"").collect(java.util.stream.Collectors.joining(","));
        return batch("{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":[" + tags + "]}}]}").changes();
    }

    @Test
    void keysTheAppSignsOnlyAreNotTheClientsToChange() {
        AppConfig app = app(Set.of("user_vip_segment", "tags"));
        SessionAccess.Authenticated cy = loggedIn(app, "cy");

        Problem segment = InMemoryRules.refusal(() -> attributes.apply(cy, batch("""
                {"updates":[{"type":"global","attributes":{"first_name":"Cy","user_vip_segment":"gold"}}]}""").changes()));
        assertThat(segment.reason()).isEqualTo(Reason.SIGNED_ONLY_ATTRIBUTE);
        assertThat(segment.details()).containsEntry("key", "user_vip_segment");
        Problem tags = InMemoryRules.refusal(() -> attributes.apply(cy, batch("""
                {"updates":[{"type":"global","attributes":{"tags_to_remove":["x"]}}]}""").changes()));
        assertThat(tags.details()).containsEntry("key", "tags");
        assertThat(store.attributesOf(app.domainId(), cy.record().session().userId())).isEmpty();
    }

    @Test
    void anErasedUsersSessionWritesNothing() {
        AppConfig app = app(Set.of());
        SessionAccess.Authenticated dee = loggedIn(app, "dee");
        store.tombstone(app.domainId(), dee.record().session().userId());

        Problem refused = InMemoryRules.refusal(() -> attributes.apply(dee, batch("""
                {"updates":[{"type":"global","attributes":{"first_name":"Dee"}}]}""").changes()));
        assertThat(refused.reason()).isEqualTo(Reason.SESSION_INVALID);
        assertThat(refused.details()).containsEntry("problem", "USER_ERASED");
    }
}
