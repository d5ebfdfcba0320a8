package io.userhub.shared.store;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.userhub.shared.store.writerfixtures.SecondProfileWriter;
import io.userhub.shared.store.writerfixtures.UnmarkedProfileWriter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each DynamoDB item type has exactly one class that builds its writes and holds its key pattern
 * ({@link WritesItems}). Everyone else composes those writes into requests and transactions.
 * The rules are also run against two deliberate offenders (test fixtures) to show they bite.
 */
class OneWriterPerItemTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.userhub");

    private static final Set<String> WRITE_TYPES = Set.of(Put.class, Update.class, Delete.class, PutItemRequest.class,
            UpdateItemRequest.class, DeleteItemRequest.class, BatchWriteItemRequest.class, WriteRequest.class, PutRequest.class,
            DeleteRequest.class).stream().map(Class::getName).collect(Collectors.toSet());
    private static final Set<String> CLIENT_WRITES = Set.of("putItem", "updateItem", "deleteItem", "batchWriteItem");
    /** The carriers: they wrap or send writes the writers built, and build none of an item's own. */
    private static final Set<String> CARRIERS = Set.of(Transaction.class.getName(), ExpressionBuilder.class.getName());

    /** Building a write: an SDK write's builder, a client write described inline, or an update expression turned into one. */
    private static final DescribedPredicate<JavaCall<?>> BUILDS_A_WRITE = new DescribedPredicate<>("builds a DynamoDB write") {
        @Override
        public boolean test(JavaCall<?> call) {
            String owner = call.getTarget().getOwner().getName();
            String name = call.getTarget().getName();
            if (WRITE_TYPES.contains(owner)) {
                return name.equals("builder") || name.equals("toBuilder");
            }
            if (owner.equals(DynamoDbClient.class.getName()) && CLIENT_WRITES.contains(name)) {
                return call.getTarget().getRawParameterTypes().stream().anyMatch(t -> t.isAssignableTo(Consumer.class));
            }
            return owner.equals(ExpressionBuilder.class.getName()) && name.equals("toUpdate");
        }
    };

    /** The writer a class belongs to: itself or the class it is nested in, if marked. */
    private static Optional<JavaClass> writerOf(JavaClass javaClass) {
        for (Optional<JavaClass> c = Optional.of(javaClass); c.isPresent(); c = c.get().getEnclosingClass()) {
            if (c.get().isAnnotatedWith(WritesItems.class)) {
                return c;
            }
        }
        return Optional.empty();
    }

    private static final ArchRule ONLY_WRITERS_BUILD_WRITES = classes().should(new ArchCondition<>("build no DynamoDB write unless it is an item type's writer") {
        @Override
        public void check(JavaClass javaClass, ConditionEvents events) {
            if (writerOf(javaClass).isPresent() || CARRIERS.contains(javaClass.getName())) {
                return;
            }
            javaClass.getMethodCallsFromSelf().stream().filter(BUILDS_A_WRITE).forEach(call ->
                    events.add(SimpleConditionEvent.violated(call, call.getDescription() + ": only a @WritesItems class builds writes")));
        }
    });

    /** A writer that used another writer's key could write its items: writers stay apart. */
    private static final ArchRule WRITERS_USE_NO_OTHER_WRITER = classes().should(new ArchCondition<>("use no other item type's writer when it is one") {
        @Override
        public void check(JavaClass javaClass, ConditionEvents events) {
            Optional<JavaClass> writer = writerOf(javaClass);
            if (writer.isEmpty()) {
                return;
            }
            javaClass.getDirectDependenciesFromSelf().forEach(dependency -> writerOf(dependency.getTargetClass())
                    .filter(other -> !other.equals(writer.get()))
                    .ifPresent(other -> events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                            + ": " + writer.get().getSimpleName() + " writes " + types(writer.get()) + ", " + other.getSimpleName()
                            + " writes " + types(other)))));
        }
    });

    private static List<ItemType> types(JavaClass writer) {
        return Arrays.asList(writer.getAnnotationOfType(WritesItems.class).value());
    }

    private static Map<ItemType, List<String>> writersByType(JavaClasses classes) {
        Map<ItemType, List<String>> writers = new EnumMap<>(ItemType.class);
        classes.stream().filter(c -> c.isAnnotatedWith(WritesItems.class))
                .forEach(c -> types(c).forEach(type -> writers.computeIfAbsent(type, t -> new ArrayList<>()).add(c.getSimpleName())));
        return writers;
    }

    @Test
    void everyItemTypeHasExactlyOneWriter() {
        Map<ItemType, List<String>> writers = writersByType(PRODUCTION);
        assertThat(writers.keySet()).containsExactlyInAnyOrder(ItemType.values());
        writers.forEach((type, classes) -> assertThat(classes).as("writers of %s", type).hasSize(1));
    }

    @Test
    void onlyTheWritersBuildWrites() {
        ONLY_WRITERS_BUILD_WRITES.check(PRODUCTION);
    }

    @Test
    void writersUseNoOtherWriter() {
        WRITERS_USE_NO_OTHER_WRITER.check(PRODUCTION);
    }

    @Test
    void aSecondClassWritingAnItemTypeFailsTheRules() {
        JavaClasses withOffenders = new ClassFileImporter().importPackages("io.userhub.shared.store");

        assertThat(ONLY_WRITERS_BUILD_WRITES.evaluate(withOffenders).getFailureReport().getDetails())
                .anyMatch(line -> line.contains(UnmarkedProfileWriter.class.getName()))
                .noneMatch(line -> line.contains(ProfileItem.class.getName() + "."));
        assertThat(WRITERS_USE_NO_OTHER_WRITER.evaluate(withOffenders).getFailureReport().getDetails())
                .anyMatch(line -> line.contains(SecondProfileWriter.class.getName()) && line.contains("ProfileItem"));
        assertThat(writersByType(withOffenders).get(ItemType.PROFILE))
                .containsExactlyInAnyOrder("ProfileItem", "SecondProfileWriter");
    }
}
