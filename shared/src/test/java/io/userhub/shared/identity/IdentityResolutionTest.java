package io.userhub.shared.identity;

import io.userhub.shared.model.Claim;
import io.userhub.shared.model.DeviceState;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityResolutionTest {
    private static final Identity UID = Identity.uid("u-1");
    private static final Identity EMAIL = new Identity("email", "Ada@Example.com", Map.of());
    private static final Identity PHONE = new Identity("phone_number", "+100", Map.of());

    private static LoginState claims(Map<String, Claim> claims) {
        return new LoginState(claims, DeviceState.absent(), Optional.empty());
    }

    @Test
    void uidDecidesTheProfile() {
        var plan = IdentityResolution.resolve(List.of(UID, EMAIL), claims(Map.of(UID.profileKey(), new Claim("A", 10))),
                20, true, Optional.empty(), () -> "NEW");
        assertThat(plan.userId()).isEqualTo("A");
        assertThat(plan.newProfile()).isFalse();
        assertThat(plan.kept()).containsExactly(UID);
        assertThat(plan.toClaim()).containsExactly(EMAIL);
    }

    @Test
    void withoutUidTheFirstClaimedEmailDecides() {
        var plan = IdentityResolution.resolve(List.of(EMAIL, PHONE), claims(Map.of(EMAIL.profileKey(), new Claim("B", 10))),
                20, true, Optional.empty(), () -> "NEW");
        assertThat(plan.userId()).isEqualTo("B");
    }

    @Test
    void nothingClaimedMakesANewProfile() {
        var plan = IdentityResolution.resolve(List.of(UID, EMAIL), claims(Map.of()), 20, true, Optional.empty(), () -> "NEW");
        assertThat(plan.userId()).isEqualTo("NEW");
        assertThat(plan.newProfile()).isTrue();
        assertThat(plan.toClaim()).containsExactly(UID, EMAIL);
    }

    @Test
    void aNewerSignedTokenMovesAnOtherProfilesIdentityAnOlderOneDoesNot() {
        LoginState state = claims(Map.of(UID.profileKey(), new Claim("A", 5), EMAIL.profileKey(), new Claim("B", 10)));
        var newer = IdentityResolution.resolve(List.of(UID, EMAIL), state, 11, true, Optional.empty(), () -> "NEW");
        assertThat(newer.moves()).extracting(IdentityResolution.Move::identity).containsExactly(EMAIL);
        var older = IdentityResolution.resolve(List.of(UID, EMAIL), state, 10, true, Optional.empty(), () -> "NEW");
        assertThat(older.moves()).isEmpty();
        assertThat(older.conflicts()).extracting(IdentityResolution.Conflict::ownerUserId).containsExactly("B");
        var unsigned = IdentityResolution.resolve(List.of(UID, EMAIL), state, 99, false, Optional.empty(), () -> "NEW");
        assertThat(unsigned.moves()).isEmpty();
    }

    @Test
    void aUidOwnedByAnotherProfileNeverMoves() {
        LoginState state = claims(Map.of(UID.profileKey(), new Claim("A", 1)));
        var plan = IdentityResolution.placeIdentities(List.of(UID), state, 99, true, "B", false);
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.conflicts()).hasSize(1);
    }

    @Test
    void aNewUidAdoptsTheEmailOwnerWhenOffered() {
        LoginState state = claims(Map.of(EMAIL.profileKey(), new Claim("B", 10)));
        assertThat(IdentityResolution.emailOwnerForNewUid(List.of(UID, EMAIL), state)).contains("B");
        var plan = IdentityResolution.resolve(List.of(UID, EMAIL), state, 20, true, Optional.of("B"), () -> "NEW");
        assertThat(plan.userId()).isEqualTo("B");
        assertThat(plan.toClaim()).containsExactly(UID);
        assertThat(plan.kept()).containsExactly(EMAIL);
    }
}
