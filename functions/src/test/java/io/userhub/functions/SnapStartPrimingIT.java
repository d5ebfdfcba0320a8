package io.userhub.functions;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.testkit.MutableClock;
import io.userhub.testkit.RoundTripRecorder;
import io.userhub.shared.config.SnapStartPriming;
import io.userhub.shared.config.Wiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;


import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DynamoDbLocalExtension.class)
class SnapStartPrimingIT {

    @Test
    void primingExercisesTheDynamoDbClientWithoutFailing() {
        RoundTripRecorder recorder = new RoundTripRecorder();
        Wiring wiring = DynamoDbLocalExtension.wiring(MutableClock.atTestStart(), recorder);
        SnapStartPriming.prime(wiring);
        assertThat(recorder.operations()).containsExactly("GetItem");
    }
}
