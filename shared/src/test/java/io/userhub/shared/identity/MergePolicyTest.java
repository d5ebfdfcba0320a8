package io.userhub.shared.identity;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MergePolicyTest {
    @Test
    void theAnonymousValuesFillOnlyTheKeysTheIdentifiedUserLacks() {
        Map<String, Object> anonymous = Map.of("plan", "free", "visits", 3L, "color", "red");
        Map<String, Object> identified = Map.of("plan", "pro", "color", "blue");

        assertThat(MergePolicy.carried(anonymous, identified)).containsExactly(Map.entry("visits", 3L));
        assertThat(MergePolicy.carried(anonymous, Map.of())).isEqualTo(anonymous);
        assertThat(MergePolicy.carried(Map.of(), identified)).isEmpty();
    }

    @Test
    void profileWideAndPerAppGroupsTogetherAreEveryGroupAMergeCarries() {
        assertThat(MergePolicy.PROFILE_WIDE).allMatch(MergePolicy.Carried::profileWide);
        assertThat(MergePolicy.PER_APP).noneMatch(MergePolicy.Carried::profileWide);
        assertThat(MergePolicy.PROFILE_WIDE.size() + MergePolicy.PER_APP.size()).isEqualTo(MergePolicy.Carried.values().length);
    }
}
