package io.userhub.benchmarks;

import io.userhub.functions.login.LoginCommand;
import io.userhub.functions.login.LoginResult;
import io.userhub.functions.login.LoginUseCase;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.token.IdentityAssertion;
import io.userhub.shared.token.IdentityTokens;
import io.userhub.shared.token.TokenSigner;
import io.userhub.testkit.InMemoryLoginStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A returning user's whole login (token, resolution, the login's write as the store receives it,
 * the session) on the in-memory store, beside reading its token alone: the reference, in the same
 * run, so the ratio says what the login's rules cost on top of the token (the DynamoDB round trips
 * are what the in-memory store leaves out; docs/performance.md has those).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LoginBenchmarks {
    private LoginUseCase login;
    private AppConfig app;
    private String token;
    private Instant now;

    @Setup
    public void returningUser() {
        app = BenchmarkApp.APP;
        Clock clock = Clock.systemUTC();
        now = clock.instant();
        login = new LoginUseCase(new AppDirectory(id -> Optional.of(app), clock, Duration.ofHours(1)),
                new InMemoryLoginStore(), clock, Runnable::run, records -> { });
        token = TokenSigner.sign(BenchmarkApp.KEY, Map.of("iat", now.getEpochSecond(), "identities", List.of(
                Map.of("identifier", "uid", "value", "user-42"),
                Map.of("identifier", "email", "value", "ada@example.com"))));
        if (!(returningLogin() instanceof LoginResult.Success)) {
            throw new IllegalStateException("the first login failed");
        }
    }

    @Benchmark
    public LoginResult returningLogin() {
        return login.login(new LoginCommand.IdentitiesLogin("bench", "bench-phone", token, false,
                LoginCommand.Expected.NONE, true));
    }

    @Benchmark
    public IdentityAssertion referenceReadsTheSameTokenAlone() {
        return IdentityTokens.readIdentitiesToken(token, app, now);
    }
}
