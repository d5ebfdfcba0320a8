package io.userhub.shared.validation;

import io.userhub.shared.model.AppSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TokenTimeRulesTest {
    private static final AppSettings SETTINGS = AppSettings.defaults();
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final long NOW_S = NOW.getEpochSecond();

    private static Problem rejection(Long iat, Long exp, Long nbf) {
        return catchThrowableOfType(Rejection.class,
                () -> TokenTimeRules.checkIdentityTokenTimes(iat, exp, nbf, NOW, SETTINGS)).problem();
    }

    @Test
    void iatIsMandatory() {
        assertThat(rejection(null, null, null).reason()).isEqualTo(Reason.IAT_IS_MANDATORY);
    }

    @Test
    void iatExactly24HoursOldIsAcceptedAndOneSecondMoreIsTooOld() {
        TokenTimeRules.checkIdentityTokenTimes(NOW_S - 86_400, null, null, NOW, SETTINGS);
        Problem problem = rejection(NOW_S - 86_401, null, null);
        assertThat(problem.reason()).isEqualTo(Reason.IDENTITY_TOKEN_INVALID);
        assertThat(problem.details()).containsEntry("cause", "TOO_OLD");
    }

    @Test
    void iatInTheFutureWithinSkewIsAcceptedBeyondItIsRejected() {
        TokenTimeRules.checkIdentityTokenTimes(NOW_S + 60, null, null, NOW, SETTINGS);
        assertThat(rejection(NOW_S + 61, null, null).details()).containsEntry("cause", "ISSUED_IN_FUTURE");
    }

    @Test
    void expIsHonouredWithSkew() {
        TokenTimeRules.checkIdentityTokenTimes(NOW_S - 10, NOW_S - 59, null, NOW, SETTINGS);
        assertThat(rejection(NOW_S - 10, NOW_S - 60, null).details()).containsEntry("cause", "EXPIRED");
    }

    @Test
    void notBeforeInTheFutureIsRejected() {
        assertThat(rejection(NOW_S, null, NOW_S + 61).details()).containsEntry("cause", "ISSUED_IN_FUTURE");
    }

    private static Problem appScopeRejection(Long iat, Long exp) {
        return catchThrowableOfType(Rejection.class,
                () -> TokenTimeRules.checkAppScopeTimes(iat, exp, null, NOW, SETTINGS)).problem();
    }

    @Test
    void appScopeTokensNeedIatAndExpAndLiveAtMostFiveMinutes() {
        TokenTimeRules.checkAppScopeTimes(NOW_S - 10, NOW_S + 290, null, NOW, SETTINGS);
        assertThat(appScopeRejection(null, NOW_S + 60).reason()).isEqualTo(Reason.IAT_IS_MANDATORY);
        assertThat(appScopeRejection(NOW_S, null).details()).containsEntry("problem", "EXP_IS_MANDATORY");
        assertThat(appScopeRejection(NOW_S, NOW_S + 301).details()).containsEntry("problem", "LIFETIME_TOO_LONG");
        assertThat(appScopeRejection(NOW_S - 301, NOW_S - 1).details()).containsEntry("cause", "TOO_OLD");
    }
}
