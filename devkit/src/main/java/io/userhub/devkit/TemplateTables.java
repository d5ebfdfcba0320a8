package io.userhub.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates the tables exactly as {@code template.yaml} declares them (keys, indexes, TTL), so the
 * local server and the tests never keep a second copy of the schema. A table is named by its
 * logical id, which is what {@code !Ref} reads as locally.
 */
public final class TemplateTables {
    private TemplateTables() {}

    public static List<String> create(DynamoDbClient dynamo, SamTemplate template) {
        return create(dynamo, template, "");
    }

    /** The template's tables under {@code prefix + logicalId}: a test that sweeps whole tables gets its own. */
    public static List<String> create(DynamoDbClient dynamo, SamTemplate template, String prefix) {
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, JsonNode> table : template.tables().entrySet()) {
            String name = prefix + table.getKey();
            CreateTableRequest request = createRequest(name, table.getValue().path("Properties"));
            try {
                dynamo.createTable(request);
                created.add(name);
            } catch (ResourceInUseException alreadyThere) {
                continue;
            }
            JsonNode ttl = table.getValue().path("Properties").path("TimeToLiveSpecification");
            if (ttl.path("Enabled").asBoolean(false)) {
                dynamo.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(name)
                        .timeToLiveSpecification(TimeToLiveSpecification.builder()
                                .attributeName(ttl.path("AttributeName").asText()).enabled(true).build())
                        .build());
            }
        }
        return created;
    }

    static CreateTableRequest createRequest(String name, JsonNode properties) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (JsonNode a : properties.path("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder()
                    .attributeName(a.path("AttributeName").asText())
                    .attributeType(a.path("AttributeType").asText()).build());
        }
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (JsonNode index : properties.path("GlobalSecondaryIndexes")) {
            Projection.Builder projection = Projection.builder().projectionType(index.path("Projection").path("ProjectionType").asText("ALL"));
            List<String> nonKey = new ArrayList<>();
            index.path("Projection").path("NonKeyAttributes").forEach(n -> nonKey.add(n.asText()));
            if (!nonKey.isEmpty()) {
                projection.nonKeyAttributes(nonKey);
            }
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.path("IndexName").asText())
                    .keySchema(keySchema(index.path("KeySchema")))
                    .projection(projection.build())
                    .build());
        }
        CreateTableRequest.Builder builder = CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(properties.path("KeySchema")))
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!indexes.isEmpty()) {
            builder.globalSecondaryIndexes(indexes);
        }
        JsonNode stream = properties.path("StreamSpecification");
        if (stream.has("StreamViewType")) {
            builder.streamSpecification(software.amazon.awssdk.services.dynamodb.model.StreamSpecification.builder()
                    .streamEnabled(true).streamViewType(stream.path("StreamViewType").asText()).build());
        }
        return builder.build();
    }

    private static List<KeySchemaElement> keySchema(JsonNode node) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (JsonNode k : node) {
            keys.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText()).keyType(k.path("KeyType").asText()).build());
        }
        return keys;
    }
}
