package io.userhub.functions;

import io.userhub.testkit.DynamoDbLocalExtension;
import io.userhub.devkit.SamTemplate;
import io.userhub.devkit.TemplateTables;
import io.userhub.functions.login.ExternalIdAndUserIdLoginIT;
import io.userhub.functions.login.IdentitiesLoginIT;
import io.userhub.functions.login.LoginBudgetIT;
import io.userhub.functions.login.LoginRejectionsIT;
import io.userhub.functions.login.ReplayAndConcurrencyIT;
import io.userhub.functions.mint.MintHandlerIT;
import io.userhub.functions.attributes.AttributesIT;
import io.userhub.functions.identities.AddIdentitiesIT;
import io.userhub.functions.session.SessionRoutesIT;
import io.userhub.functions.notices.NotifiersIT;
import org.junit.jupiter.api.AfterAll;
import io.userhub.functions.support.RequiresDocker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.List;

/**
 * The same integration cases, run against LocalStack's DynamoDB through Testcontainers where a
 * Docker engine is present. Without one the class is skipped with a message saying so; the
 * cases themselves still run against DynamoDB Local in the other classes.
 */
@ExtendWith(RequiresDocker.class)
@ExtendWith(DynamoDbLocalExtension.class)
class LocalStackIT {
    private static LocalStackContainer localstack;

    @BeforeAll
    static void startLocalStack() {
        localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8")).withServices(LocalStackContainer.Service.DYNAMODB);
        localstack.start();
        DynamoDbLocalExtension.redirect(localstack.getEndpoint());
        TemplateTables.create(DynamoDbLocalExtension.client(List.of()), SamTemplate.locate());
    }

    @AfterAll
    static void stopLocalStack() {
        DynamoDbLocalExtension.restore();
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Nested
    class IdentitiesLogin extends IdentitiesLoginIT {}

    @Nested
    class Rejections extends LoginRejectionsIT {}

    @Nested
    class ExternalIdAndUserId extends ExternalIdAndUserIdLoginIT {}

    @Nested
    class ReplayAndConcurrency extends ReplayAndConcurrencyIT {}

    @Nested
    class Budget extends LoginBudgetIT {}

    @Nested
    class Mint extends MintHandlerIT {}

    @Nested
    class SessionRoutes extends SessionRoutesIT {}

    @Nested
    class AddIdentities extends AddIdentitiesIT {}

    @Nested
    class Attributes extends AttributesIT {}

    @Nested
    class Notifiers extends NotifiersIT {}

    @Nested
    class ServerRoutes extends io.userhub.functions.users.ServerRoutesIT {}

    @Nested
    class ImportUsers extends io.userhub.functions.users.ImportUsersIT {}
}
