package io.userhub.functions.support;

import io.userhub.functions.login.LoginUseCase;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Rejection;
import io.userhub.testkit.InMemoryLoginStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the unit tests of the rules share: the apps as a map of one, the login use case over
 * testkit's in-memory store (its records in that store, background work on the caller's thread),
 * and the problem a refused call throws.
 */
public final class InMemoryRules {
    private InMemoryRules() {}

    /** The app, found by its id only. */
    public static AppDirectory directoryOf(AppConfig app, Clock clock) {
        return new AppDirectory(id -> Optional.of(app).filter(a -> a.appId().equals(id)), clock, Duration.ofMinutes(1));
    }

    public static LoginUseCase login(InMemoryLoginStore store, Clock clock, AppConfig app) {
        return new LoginUseCase(directoryOf(app, clock), store, clock, Runnable::run, store.auditWriter());
    }

    /** The problem of the rejection the action must throw. */
    public static Problem refusal(Runnable action) {
        Rejection rejection = catchThrowableOfType(action::run, Rejection.class);
        assertThat(rejection).as("refused").isNotNull();
        return rejection.problem();
    }
}
