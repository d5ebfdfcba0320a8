package io.userhub.functions;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering the build enforces, on the compiled classes of shared/ and functions/ (main code
 * only), replacing an earlier test that grepped source lines. The domain (rules, token
 * verification, identity resolution, audit records and domain events, the model) reaches no AWS
 * SDK type, no HTTP edge, no store, no JWK Set fetcher and no environment (JSON trees it may read:
 * a JWT's payload is JSON); stores (the DynamoDB adapters) reach no HTTP edge and no
 * environment; handlers are the only classes under functions/ that read JSON, and nothing under
 * functions/ builds DynamoDB requests.
 */
class ArchitectureTest {
    private static final String[] DOMAIN = {
            "io.userhub.shared.model..", "io.userhub.shared.validation..", "io.userhub.shared.identity..",
            "io.userhub.shared.token..", "io.userhub.shared.audit..", "io.userhub.shared.event..", "io.userhub.shared.port..",
            "io.userhub.shared.session..", "io.userhub.shared.webhook..", "io.userhub.shared.notice.."};

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.userhub.shared", "io.userhub.functions");

    @Test
    void theDomainReachesNoAwsSdkNoHttpEdgeNoStoreAndNoWiring() {
        ArchRule rule = noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..",
                        "io.userhub.shared.http..", "io.userhub.shared.store..", "io.userhub.shared.config..",
                        "io.userhub.shared.jwks..", "io.userhub.shared.observability..", "io.userhub.shared.outbound..",
                        "io.userhub.shared.eventbridge..", "io.userhub.shared.sqs..")
                .because("the domain is plain Java that tests call directly; adapters depend on it, never the reverse");
        rule.check(MAIN);
    }

    @Test
    void onlyEnvironmentReadsEnvironmentVariables() {
        noClasses().that().doNotHaveFullyQualifiedName("io.userhub.shared.config.Environment")
                .should().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .because("the composition reads the environment through Environment, and hands the rest what they need").check(MAIN);
    }

    @Test
    void storesReachNoHttpEdgeAndNoEnvironment() {
        noClasses().that().resideInAPackage("io.userhub.shared.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.userhub.shared.http..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.userhub.shared.config.Environment")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.userhub.shared.config.Wiring")
                .because("a DynamoDB adapter is handed its table names and clients; it neither parses requests nor reads the environment")
                .check(MAIN);
    }

    @Test
    void noFunctionBuildsDynamoDbRequestsOrTouchesTheStoresExpressionHelpers() {
        noClasses().that().resideInAPackage("io.userhub.functions..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk.services.dynamodb..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.userhub.shared.store.Items")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.userhub.shared.store.ExpressionBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.userhub.shared.store.Transaction")
                .because("every write's shape, and its cost, is decided in the stores").check(MAIN);
    }

    @Test
    void onlyHandlersAndRequestParsersReadJson() {
        noClasses().that().resideInAPackage("io.userhub.functions..")
                .and().haveSimpleNameNotEndingWith("Handler").and().haveSimpleNameNotEndingWith("Requests")
                .and().haveSimpleNameNotContaining("Handler$").and().haveSimpleNameNotContaining("Requests$")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .because("use cases take typed commands and return records").check(MAIN);
    }

    @Test
    void noFunctionReadsTheEnvironmentOrBuildsAClient() {
        noClasses().that().resideInAPackage("io.userhub.functions..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.userhub.shared.config.Environment")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.userhub.shared.config.AwsClients")
                .because("a Lambda function is wired in one place, Wiring.lambda() and its siblings; handlers only ask it")
                .check(MAIN);
    }

    @Test
    void useCasesReachStorageThroughPortsOnly() {
        noClasses().that().haveNameMatching("io\\.userhub\\.functions\\..*(UseCase|NoticeSweep)(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("io.userhub.shared.store..", "software.amazon..", "com.amazonaws..",
                        "io.userhub.shared.http..", "io.userhub.shared.config..", "io.userhub.shared.jwks..", "io.userhub.shared.sqs..")
                .because("a use case is the domain's: it calls ports (io.userhub.shared.port), which the DynamoDB adapters implement")
                .check(MAIN);
    }
}
