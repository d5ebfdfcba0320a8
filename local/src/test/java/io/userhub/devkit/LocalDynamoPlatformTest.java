package io.userhub.devkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where ./run-local's embedded DynamoDB Local can start: the natives the jar carries, per platform. */
class LocalDynamoPlatformTest {

    @Test
    void platformsAreNamedAsTheJvmReportsThem() {
        assertThat(LocalDynamo.platform("Linux", "amd64")).isEqualTo("linux/amd64");
        assertThat(LocalDynamo.platform("Mac OS X", "aarch64")).isEqualTo("mac/aarch64");
        assertThat(LocalDynamo.platform("Mac OS X", "arm64")).isEqualTo("mac/aarch64");
        assertThat(LocalDynamo.platform("Mac OS X", "x86_64")).isEqualTo("mac/x86_64");
        assertThat(LocalDynamo.platform("Windows 11", "amd64")).isEqualTo("windows/amd64");
        assertThat(LocalDynamo.platform("Linux", "aarch64")).isEqualTo("linux/aarch64");
    }

    @Test
    void theJarCarriesANativeLibraryForEveryPlatformItClaims() {
        assertThat(LocalDynamo.NATIVE_LIBRARIES).containsKeys("linux/amd64", "mac/x86_64", "mac/aarch64", "windows/amd64")
                .doesNotContainKey("linux/aarch64");
        LocalDynamo.NATIVE_LIBRARIES.values().forEach(library ->
                assertThat(LocalDynamo.class.getResource("/userhub-native/" + library)).as(library).isNotNull());
    }
}
