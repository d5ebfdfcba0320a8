package io.userhub.functions;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.SamTemplate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Catches the copy-paste errors public SAM samples are full of: handlers, log groups, build targets, outputs. */
class TemplateTest {
    private final SamTemplate template = SamTemplate.locate();

    @Test
    void everyHandlerStringNamesARequestHandlerOfThisBuild() throws Exception {
        for (JsonNode function : template.resources("AWS::Serverless::Function").values()) {
            String handler = function.path("Properties").path("Handler").asText();
            assertThat(handler).endsWith("::handleRequest");
            Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
            assertThat(RequestHandler.class).isAssignableFrom(type);
            assertThat(type.getConstructor()).isNotNull();
        }
    }

    @Test
    void eachFunctionHasItsOwnLogGroupWithRetentionAndADescription() {
        Map<String, JsonNode> logGroups = template.resources("AWS::Logs::LogGroup");
        template.resources("AWS::Serverless::Function").forEach((id, function) -> {
            assertThat(logGroups).as(id).containsKey(id + "LogGroup");
            JsonNode properties = logGroups.get(id + "LogGroup").path("Properties");
            assertThat(properties.path("LogGroupName").asText()).isEqualTo("/aws/lambda/${" + id + "}");
            assertThat(properties.has("RetentionInDays")).isTrue();
            assertThat(function.path("Properties").path("Description").asText()).isNotBlank();
        });
    }

    @Test
    void everyMakefileBuiltFunctionHasABuildTarget() throws IOException {
        String makefile = Files.readString(SamTemplate.locatePath().getParent().resolve("Makefile"));
        template.resources("AWS::Serverless::Function").forEach((id, function) -> {
            assertThat(function.path("Metadata").path("BuildMethod").asText()).isEqualTo("makefile");
            assertThat(makefile).as(id).contains("build-" + id + ":");
        });
    }

    @Test
    void functionsReachTablesAndTheBusOnlyThroughNarrowPolicies() {
        Map<String, JsonNode> tables = template.tables();
        template.resources("AWS::Serverless::Function").forEach((id, function) -> {
            for (JsonNode policy : function.path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    String resource = statement.path("Resource").asText();
                    statement.path("Action").forEach(action -> {
                        String name = action.asText();
                        assertThat(name).as(id).isNotIn("dynamodb:*", "dynamodb:Scan", "events:*");
                        if (name.startsWith("dynamodb:") && resource.endsWith(".StreamArn")) {
                            assertThat(name).as(id).isIn("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                                    "dynamodb:ListStreams");
                        } else if (name.startsWith("dynamodb:")) {
                            String table = resource.replace("${", "").replaceAll("\\.Arn.*$", "");
                            assertThat(tables).as(id + " " + resource).containsKey(table);
                        } else if (name.startsWith("sqs:")) {
                            assertThat(name).as(id).isNotEqualTo("sqs:*");
                            assertThat(resource).as(id).isIn("NotifierDeadLetterQueue.Arn", "WebhookQueue.Arn",
                                    "WebhookDeadLetterQueue.Arn", "WebhookFanOutFailuresQueue.Arn");
                        } else {
                            if (name.startsWith("kms:")) {
                                assertThat(resource).as(id).isEqualTo("SecretsKey.Arn");
                                return;
                            }
                            assertThat(name).as(id).isEqualTo("events:PutEvents");
                            assertThat(resource).as(id).isEqualTo("NoticeBus.Arn");
                        }
                    });
                }
            }
        });
    }

    @Test
    void notifiersRunEveryMinuteAndPublishToTheBus() {
        for (String id : List.of("RefreshNotifierFunction", "ExpiryNotifierFunction")) {
            JsonNode properties = template.resources("AWS::Serverless::Function").get(id).path("Properties");
            assertThat(properties.path("Events").path("EveryMinute").path("Properties").path("Schedule").asText()).isEqualTo("rate(1 minute)");
            assertThat(properties.path("Environment").path("Variables").path("EVENT_BUS_NAME").asText()).isEqualTo("NoticeBus");
        }
        assertThat(template.resources("AWS::Events::EventBus")).containsKey("NoticeBus");
    }

    @Test
    void environmentNamesEveryTableByReference() {
        JsonNode variables = template.root().path("Globals").path("Function").path("Environment").path("Variables");
        List<String> referenced = new ArrayList<>();
        variables.fields().forEachRemaining(e -> referenced.add(e.getValue().asText()));
        assertThat(referenced).containsAll(template.tables().keySet());
    }

    @Test
    void outputsNameTheApiAndTheTables() {
        JsonNode outputs = template.root().path("Outputs");
        assertThat(outputs.path("ApiUrl").path("Value").asText()).contains("${HttpApi}");
        template.tables().keySet().forEach(table -> assertThat(outputs.path(table + "Name").path("Value").asText()).isEqualTo(table));
    }

    @Test
    void theDefaultRouteKnowsExactlyTheTemplatesRoutes() {
        List<String> routes = new ArrayList<>();
        template.functions().forEach(f -> f.routes().stream().filter(r -> !r.path().isEmpty())
                .forEach(r -> routes.add(r.method() + " " + r.path())));
        assertThat(io.userhub.functions.fallback.NotFoundHandler.KNOWN_ROUTES).containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void everyRouteOfTheSpecSoFarIsDeclared() {
        List<String> routes = new ArrayList<>();
        template.functions().forEach(f -> f.routes().forEach(r -> routes.add(r.method() + " " + r.path())));
        assertThat(routes).contains("POST /v1/apps/{appId}/login", "POST /v1/apps/{appId}/tokens",
                "POST /v1/identities", "POST /v1/attributes", "POST /v1/logout", "GET /v1/session",
                "GET /v1/apps/{appId}/users", "DELETE /v1/apps/{appId}/users/{userId}",
                "POST /v1/apps/{appId}/users/{userId}/logout", "POST /v1/apps/{appId}/users/import");
        assertThat(template.functions()).anySatisfy(f -> assertThat(f.routes()).anySatisfy(r -> assertThat(r.path()).isEmpty()));
    }

    @Test
    void productionSettingsLogsTablesSchedulesAndAlarms() {
        JsonNode globals = template.root().at("/Globals/Function");
        assertThat(globals.at("/LoggingConfig/LogFormat").asText()).isEqualTo("JSON");
        assertThat(globals.at("/Tags/Stage").toString()).contains("Stage");
        assertThat(template.root().at("/Parameters/Stage/AllowedValues").toString()).contains("prod");
        template.tables().forEach((id, table) -> {
            assertThat(table.path("DeletionPolicy").asText()).as(id).isEqualTo("Retain");
            assertThat(table.path("UpdateReplacePolicy").asText()).as(id).isEqualTo("Retain");
            assertThat(table.at("/Properties/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean()).as(id).isTrue();
        });
        assertThat(template.root().at("/Resources/HttpApi/Properties/AccessLogSettings/Format").asText())
                .contains("$context.routeKey").doesNotContain("$context.path");
        Map<String, JsonNode> alarms = template.resources("AWS::CloudWatch::Alarm");
        assertThat(alarms).containsKeys("Api5xxRateAlarm", "RefreshNotifierErrorsAlarm", "ExpiryNotifierErrorsAlarm",
                "RefreshNoticesFailedAlarm", "ExpiryNoticesFailedAlarm", "NotifierDeadLettersAlarm");
        alarms.values().forEach(alarm -> assertThat(alarm.at("/Properties/AlarmActions").toString()).contains("AlarmTopicArn"));
        template.functions().stream().filter(f -> !f.schedules().isEmpty()).forEach(f -> {
            JsonNode function = template.root().at("/Resources/" + f.logicalId() + "/Properties");
            assertThat(function.at("/EventInvokeConfig/DestinationConfig/OnFailure/Type").asText()).isEqualTo("SQS");
            JsonNode schedule = function.at("/Events/EveryMinute/Properties");
            assertThat(schedule.at("/RetryPolicy/MaximumRetryAttempts").asInt()).isEqualTo(2);
            assertThat(schedule.at("/DeadLetterConfig/Arn").toString()).contains("NotifierDeadLetterQueue");
        });
    }

    @Test
    void everyFunctionShiftsGraduallyAndRollsBackOnItsOwnErrorAndFiveHundredAlarms() {
        // (Jackson reads "!Ref X" as the text X.)
        Map<String, JsonNode> alarms = template.resources("AWS::CloudWatch::Alarm");
        String globals = template.root().at("/Globals/Function/AutoPublishAlias").asText();
        assertThat(globals).isEqualTo("live");
        for (SamTemplate.Function function : template.functions()) {
            String id = function.logicalId();
            String name = id.substring(0, id.length() - "Function".length());
            JsonNode preference = template.root().at("/Resources/" + id + "/Properties/DeploymentPreference");
            assertThat(preference.path("Type").asText()).as(id).isEqualTo("DeploymentStrategy");
            List<String> rollback = new ArrayList<>();
            preference.path("Alarms").forEach(alarm -> rollback.add(alarm.asText()));
            assertThat(rollback).as(id).contains(name + "ErrorsAlarm");
            if (!function.routes().isEmpty()) {
                assertThat(rollback).as(id).contains(name + "5xxAlarm");
                // The 5xx alarm reads each of the function's routes, as RequestLog names them.
                String fiveHundreds = alarms.get(name + "5xxAlarm").toString();
                function.routes().forEach(route -> assertThat(fiveHundreds).contains(
                        route.path().isEmpty() ? "$default" : route.method() + " " + route.path()));
            }
            rollback.forEach(alarm -> assertThat(alarms).as(id + " rolls back on " + alarm).containsKey(alarm));
            for (String watch : List.of(name + "ThrottlesAlarm", name + "DurationAlarm")) {
                assertThat(alarms).as(id).containsKey(watch);
                assertThat(alarms.get(watch).at("/Properties/Dimensions/0/Value").asText()).isEqualTo(id);
            }
            long timeoutMillis = 1000L * template.root().at("/Resources/" + id + "/Properties/Timeout")
                    .asLong(template.root().at("/Globals/Function/Timeout").asLong());
            assertThat(alarms.get(name + "DurationAlarm").at("/Properties/Threshold").asLong()).as(id)
                    .isBetween(timeoutMillis / 2, timeoutMillis - 1);
        }
    }

    @Test
    void tablesAreProtectedAndWatchedAndEveryOutputIsExported() {
        Map<String, JsonNode> alarms = template.resources("AWS::CloudWatch::Alarm");
        template.tables().forEach((id, table) -> {
            assertThat(table.at("/Properties/DeletionProtectionEnabled").asBoolean()).as(id).isTrue();
            assertThat(table.path("DeletionPolicy").asText()).as(id).isEqualTo("Retain");
            String name = id.substring(0, id.length() - "Table".length());
            assertThat(alarms).as(id).containsKey(name + "TableThrottlesAlarm");
            String watched = alarms.get(name + "TableThrottlesAlarm").toString();
            assertThat(watched).contains("ReadThrottleEvents").contains("WriteThrottleEvents").contains("SystemErrors");
            // Every index's throttling is watched too (an index's throttles are its own metric).
            table.at("/Properties/GlobalSecondaryIndexes").forEach(index -> assertThat(alarms.get(name + "IndexThrottlesAlarm"))
                    .as(id + " " + index.path("IndexName").asText()).isNotNull()
                    .extracting(Object::toString).asString().contains(index.path("IndexName").asText()));
        });
        JsonNode outputs = template.root().path("Outputs");
        for (String wanted : List.of("ApiId", "ApiUrl", "AppsTableName", "AppsTableArn", "UsersTableName", "UsersTableArn",
                "SessionsTableName", "SessionsTableArn", "WebhooksTableName", "WebhooksTableArn", "NoticeBusArn")) {
            assertThat(outputs.has(wanted)).as(wanted).isTrue();
        }
        outputs.fields().forEachRemaining(output -> assertThat(output.getValue().at("/Export/Name").toString())
                .as(output.getKey()).contains("${AWS::StackName}-" + output.getKey()));
    }
}
