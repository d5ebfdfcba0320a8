package io.userhub.benchmarks;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.AppSettings;
import io.userhub.shared.model.SigningKey;

/** The app the in-process benchmarks sign for and verify against: one HS256 key, default settings. */
final class BenchmarkApp {
    static final String SECRET = "benchmark-secret-0123456789abcdef0123456789";
    static final SigningKey KEY = new SigningKey("bench", "HS256", SECRET, SigningKey.Status.ACTIVE, 1);
    static final AppConfig APP = new AppConfig("bench", "bench-domain", true, java.util.List.of(KEY), java.util.List.of(),
            AppSettings.defaults());

    private BenchmarkApp() {}
}
