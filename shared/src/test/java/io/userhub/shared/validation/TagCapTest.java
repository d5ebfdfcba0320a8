package io.userhub.shared.validation;

import io.userhub.shared.model.AttributeChanges;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TagCapTest {
    private static Set<String> tags(int count) {
        return IntStream.range(0, count).mapToObj(i -> "t" + i).collect(Collectors.toSet());
    }

    private static AttributeChanges adding(String... tags) {
        AttributeChanges changes = new AttributeChanges();
        changes.addTags(List.of(tags));
        return changes;
    }

    @Test
    void theFirstWriteAssumesEveryAddedTagIsNewAndAllowsOnlyAProfileWithRoomForThem() {
        AttributeChanges three = adding("a", "b", "c");
        assertThat(TagCap.assumedGrowth(three)).isEqualTo(3);
        assertThat(TagCap.mostBefore(3)).isEqualTo(Limits.PROFILE_TAGS_MAX - 3);
        assertThat(TagCap.mostBefore(Limits.PROFILE_TAGS_MAX + 5)).isZero();
    }

    @Test
    void countedExactlyTagsAlreadyThereAndTagsRemovedLeaveRoom() {
        Set<String> full = tags(Limits.PROFILE_TAGS_MAX);
        AttributeChanges again = adding("t0", "t1");
        assertThat(TagCap.growthGiven(full, again)).isZero();

        AttributeChanges swap = adding("new");
        swap.removeTags(List.of("t0"));
        assertThat(TagCap.growthGiven(full, swap)).isZero();
    }

    @Test
    void oneTagTooManyIsRefusedNamingTheCounts() {
        Rejection refused = catchThrowableOfType(Rejection.class,
                () -> TagCap.growthGiven(tags(Limits.PROFILE_TAGS_MAX - 1), adding("x", "y")));
        assertThat(refused.problem().reason()).isEqualTo(Reason.TAGS_LIMIT_EXCEEDED);
        assertThat(refused.problem().details()).containsEntry("currentTags", Limits.PROFILE_TAGS_MAX - 1)
                .containsEntry("addingTags", 2).containsEntry("maxTagsAllowed", Limits.PROFILE_TAGS_MAX);
    }

    @Test
    void aResetIsCheckedOnItsOwnSizeAndNeedsNoRead() {
        AttributeChanges reset = new AttributeChanges();
        reset.resetTags(tags(Limits.PROFILE_TAGS_MAX));
        TagCap.checkReset(reset);
        assertThat(TagCap.assumedGrowth(reset)).isZero();

        AttributeChanges tooMany = new AttributeChanges();
        tooMany.resetTags(tags(Limits.PROFILE_TAGS_MAX + 1));
        assertThat(catchThrowableOfType(Rejection.class, () -> TagCap.checkReset(tooMany)).problem().reason())
                .isEqualTo(Reason.TAGS_LIMIT_EXCEEDED);
    }
}
