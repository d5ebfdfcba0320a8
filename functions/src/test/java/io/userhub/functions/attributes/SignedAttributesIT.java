package io.userhub.functions.attributes;

import io.userhub.functions.support.Harness;
import io.userhub.functions.support.Harness.Response;
import io.userhub.testkit.DynamoDbLocalExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Attributes the customer's backend signs (Intercom's signed user fields), and keys only it may set. */
@ExtendWith(DynamoDbLocalExtension.class)
class SignedAttributesIT {

    private static String token(Harness h, String uid, String attributesJson) {
        return h.token("{\"iat\":" + h.now() + ",\"jti\":\"" + java.util.UUID.randomUUID() + "\",\"identities\":[{\"identifier\":\"uid\",\"value\":\""
                + uid + "\"}],\"attributes\":" + attributesJson + "}");
    }

    @Test
    void aTokenThatCarriesAttributesIsSingleUseSoAnOldOneCannotRollThemBack() {
        Harness h = new Harness();
        Response noJti = h.login("d1", h.token("{\"iat\":" + h.now() + ",\"identities\":[{\"identifier\":\"uid\",\"value\":\"u-9\"}],"
                + "\"attributes\":{\"global\":{\"user_vip_segment\":\"pro\"}}}"));
        assertThat(noJti.status()).isEqualTo(401);
        assertThat(noJti.text("/details/problem")).isEqualTo("ATTRIBUTES_NEED_JTI");
        String pro = token(h, "u-9", "{\"global\":{\"user_vip_segment\":\"pro\"}}");
        assertThat(h.login("d1", pro).status()).isEqualTo(200);
        assertThat(h.login("d2", token(h, "u-9", "{\"global\":{\"user_vip_segment\":\"free\"}}")).status()).isEqualTo(200);
        Response replay = h.login("d3", pro);
        assertThat(replay.text("/details/cause")).isEqualTo("REPLAYED");
        assertThat(h.lookup("uid", "u-9").text("/user/global/user_vip_segment")).isEqualTo("free");
    }

    @Test
    void aTokensAttributesAreWrittenWithTheLogin() {
        Harness h = new Harness();
        Response login = h.login("d1", token(h, "u-1", "{\"global\":{\"first_name\":\"Ada\",\"user_vip_segment\":\"gold\","
                + "\"new_tags\":[\"signed\"]},\"app\":{\"user_level\":\"7\"}}"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().has("signed_attributes")).isFalse();
        Response lookup = h.lookup("uid", "u-1");
        assertThat(lookup.text("/user/global/first_name")).isEqualTo("Ada");
        assertThat(lookup.text("/user/global/user_vip_segment")).isEqualTo("gold");
        assertThat(lookup.body().at("/user/tags").toString()).contains("signed");
        assertThat(lookup.text("/app/attributes/user_level")).isEqualTo("7");
    }

    @Test
    void aTokenWhoseAttributesTheRulesRefuseIsRefusedNamingTheKeyAndWritesNothing() {
        Harness h = new Harness();
        Response refused = h.login("d1", token(h, "u-2", "{\"global\":{\"warp_drive\":\"on\",\"first_name\":\"Ada\"}}"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.reason()).isEqualTo("IDENTITY_TOKEN_INVALID");
        assertThat(refused.text("/details/claim")).isEqualTo("attributes");
        assertThat(refused.text("/errors/attributes.global.warp_drive")).isEqualTo("UNSUPPORTED_KEY");
        assertThat(h.login("d1", token(h, "u-2", "{\"profile\":{}}")).text("/errors/attributes.profile")).isEqualTo("UNSUPPORTED_KEY");
        assertThat(h.login("d1", token(h, "u-2", "[1]")).text("/errors/attributes")).isEqualTo("INVALID_VALUE_TYPE");
        assertThat(h.storedItemsBesidesAudit()).isEmpty();
    }

    @Test
    void signedOnlyKeysAreRefusedToTheClientNamingTheKeyAndSetByATokenOnly() {
        Harness h = new Harness(s -> s.withSignedOnlyKeys(Set.of("user_vip_segment", "plan", "tags"))
                .withCustomFieldSchema(java.util.Map.of("plan", "single-line")));
        String session = h.login("d1", token(h, "u-3", "{\"global\":{\"user_vip_segment\":\"gold\"}}")).text("/session_token");
        assertThat(h.lookup("uid", "u-3").text("/user/global/user_vip_segment")).isEqualTo("gold");

        Response vip = h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Eve\",\"user_vip_segment\":\"platinum\"}}]}");
        assertThat(vip.status()).isEqualTo(403);
        assertThat(vip.reason()).isEqualTo("SIGNED_ONLY_ATTRIBUTE");
        assertThat(vip.text("/details/key")).isEqualTo("user_vip_segment");
        Response appKey = h.attributes(session, "{\"updates\":[{\"type\":\"app\",\"attributes\":{\"user_vip_segment\":\"x\"}}]}");
        assertThat(appKey.text("/details/type")).isEqualTo("app");
        assertThat(appKey.body().path("error").asText()).isEqualTo("UPDATE_APP_USER_DATA_FAILED");
        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"new_tags\":[\"x\"]}}]}").text("/details/key"))
                .isEqualTo("tags");
        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"custom_user_fields\":{\"plan\":\"free\"}}}]}")
                .text("/details/key")).isEqualTo("plan");
        assertThat(h.lookup("uid", "u-3").text("/user/global/first_name")).as("the refused batch wrote nothing").isEmpty();

        assertThat(h.attributes(session, "{\"updates\":[{\"type\":\"global\",\"attributes\":{\"first_name\":\"Eve\"}}]}").status()).isEqualTo(200);
    }
}
