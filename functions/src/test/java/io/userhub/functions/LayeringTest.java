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
 * items, so every write's shape (and its cost) is decided in one place, shared/.../store. And
 * requests are parsed at the edge: JSON is read by handlers and their *Requests parsers only;
 * use cases take typed commands and return records.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern STORAGE_INTERNALS = Pattern.compile(
            "software\\.amazon\\.awssdk|io\\.userhub\\.shared\\.store\\.(Items|ExpressionBuilder|Transaction|GuardFailedException)\\b");

    private static final Pattern JSON_TREE = Pattern.compile("com\\.fasterxml\\.jackson");

    @Test
    void noFunctionTouchesTheDynamoDbSdkOrTheStoresExpressionHelpers() throws IOException {
        assertThat(offenders(STORAGE_INTERNALS, file -> true)).as("classes under functions/ that reach past the stores").isEmpty();
    }

    @Test
    void onlyHandlersAndRequestParsersReadJson() throws IOException {
        assertThat(offenders(JSON_TREE, file -> !file.getFileName().toString().matches(".*(Handler|Requests)\\.java")))
                .as("use cases that walk request JSON instead of taking a typed command").isEmpty();
    }

    private static List<String> offenders(Pattern forbidden, java.util.function.Predicate<Path> applies) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).filter(applies).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (forbidden.matcher(lines.get(i)).find()) {
                        offenders.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        return offenders;
    }

    @Test
    void theRuleSeesAViolation() {
        assertThat(STORAGE_INTERNALS.matcher("import software.amazon.awssdk.services.dynamodb.model.AttributeValue;").find()).isTrue();
        assertThat(STORAGE_INTERNALS.matcher("import io.userhub.shared.store.Items;").find()).isTrue();
        assertThat(STORAGE_INTERNALS.matcher("import io.userhub.shared.store.LoginStore;").find()).isFalse();
        assertThat(JSON_TREE.matcher("import com.fasterxml.jackson.databind.JsonNode;").find()).isTrue();
    }
}
