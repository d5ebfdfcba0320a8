package io.userhub.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.token.IdentityAssertion;
import io.userhub.shared.token.IdentityTokens;
import io.userhub.shared.token.TokenSigner;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reading an identities JWT as login does (structure, RFC 8725 checks, HS256, time rules,
 * identity rules), beside java-jwt verifying the same token's signature and claims: the
 * reference, measured in the same run, so the figure to quote is the ratio of the medians.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenBenchmarks {
    private AppConfig app;
    private String token;
    private Instant now;
    private JWTVerifier reference;

    @Setup
    public void sign() {
        app = BenchmarkApp.APP;
        now = Instant.now();
        token = TokenSigner.sign(BenchmarkApp.KEY, Map.of("iat", now.getEpochSecond(), "identities", List.of(
                Map.of("identifier", "uid", "value", "user-42"),
                Map.of("identifier", "email", "value", "ada@example.com"),
                Map.of("identifier", "phone_number", "value", "+15550142"))));
        reference = JWT.require(Algorithm.HMAC256(BenchmarkApp.SECRET)).build();
    }

    @Benchmark
    public IdentityAssertion userhubReadsAnIdentitiesToken() {
        return IdentityTokens.readIdentitiesToken(token, app, now);
    }

    @Benchmark
    public Object referenceJavaJwtVerifiesTheSameToken() {
        return reference.verify(token);
    }
}
