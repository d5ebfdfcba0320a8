package io.userhub.functions;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores own their writes: no handler or use case builds DynamoDB requests, expressions or
 * items, so every write's shape (and its cost) is decided in one place, shared/.../store.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern STORAGE_INTERNALS = Pattern.compile(
            "software\\.amazon\\.awssdk|io\\.userhub\\.shared\\.store\\.(Items|ExpressionBuilder|Transaction|GuardFailedException)\\b");

    @Test
    void noFunctionTouchesTheDynamoDbSdkOrTheStoresExpressionHelpers() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (STORAGE_INTERNALS.matcher(lines.get(i)).find()) {
                        offenders.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("classes under functions/ that reach past the stores").isEmpty();
    }

    @Test
    void theRuleSeesAViolation() {
        assertThat(STORAGE_INTERNALS.matcher("import software.amazon.awssdk.services.dynamodb.model.AttributeValue;").find()).isTrue();
        assertThat(STORAGE_INTERNALS.matcher("import io.userhub.shared.store.Items;").find()).isTrue();
        assertThat(STORAGE_INTERNALS.matcher("import io.userhub.shared.store.LoginStore;").find()).isFalse();
    }
}
