package io.userhub.devkit;

import org.junit.jupiter.api.Test;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where ./run-local's embedded DynamoDB Local can start: DynamoDB Local's jar carries sqlite4java's
 * native library for linux x86_64 and aarch64, macOS Intel and Apple silicon, and Windows x64.
 */
class LocalDynamoPlatformTest {

    @Test
    void platformsAreNamedAsTheJvmReportsThem() {
        assertThat(LocalDynamo.platform("Linux", "amd64")).isEqualTo("linux/amd64");
        assertThat(LocalDynamo.platform("Linux", "aarch64")).isEqualTo("linux/aarch64");
        assertThat(LocalDynamo.platform("Mac OS X", "aarch64")).isEqualTo("mac/aarch64");
        assertThat(LocalDynamo.platform("Mac OS X", "arm64")).isEqualTo("mac/aarch64");
        assertThat(LocalDynamo.platform("Mac OS X", "x86_64")).isEqualTo("mac/x86_64");
        assertThat(LocalDynamo.platform("Windows 11", "amd64")).isEqualTo("windows/amd64");
    }

    @Test
    void dynamoDbLocalCarriesTheNativeLibraryOfEveryPlatformRunLocalClaims() throws IOException {
        assertThat(LocalDynamo.NATIVE_FOLDERS).containsKeys("linux/amd64", "linux/aarch64", "mac/x86_64", "mac/aarch64", "windows/amd64");
        LocalDynamo.NATIVE_FOLDERS.forEach((platform, folder) -> {
            String library = platform.startsWith("windows") ? "sqlite4java.dll"
                    : platform.startsWith("mac") ? "libsqlite4java.dylib" : "libsqlite4java.so";
            assertThat(DynamoDBProxyServer.class.getResource(LocalDynamo.NATIVE_ROOT + folder + "/" + library)).as(platform).isNotNull();
        });
        // linux/aarch64's is an ELF shared object for AArch64 (e_machine 183), not a renamed x86_64 one.
        try (InputStream in = DynamoDBProxyServer.class.getResourceAsStream(LocalDynamo.NATIVE_ROOT + "Linux/aarch64/libsqlite4java.so")) {
            byte[] header = in.readNBytes(20);
            assertThat(new String(header, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ELF");
            assertThat((header[18] & 0xff) | (header[19] & 0xff) << 8).isEqualTo(183);
        }
    }
}
