package io.userhub.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The template's DynamoDB stream event source mappings, on DynamoDB Local's streams: each function
 * with a {@code DynamoDB} event gets the new records of its table's stream that pass the event's
 * filter criteria, in Lambda's event shape ({@code Records[].dynamodb.NewImage}). A batch its
 * handler fails is tried again, up to the event's {@code MaximumRetryAttempts}, then logged and
 * dropped (where Lambda would send it to the on-failure destination).
 */
final class LocalStreamMapping implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private record Mapping(String functionId, String streamArn, List<JsonNode> patterns, int retries,
                           RequestHandler<Map<String, Object>, Map<String, Object>> handler) {}

    private final DynamoDbStreamsClient streams;
    private final List<Mapping> mappings;
    private final Consumer<String> log;
    private final Map<String, String> iterators = new HashMap<>();
    private final Map<String, java.math.BigInteger> lastSequence = new HashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    private LocalStreamMapping(DynamoDbStreamsClient streams, List<Mapping> mappings, Consumer<String> log) {
        this.streams = streams;
        this.mappings = mappings;
        this.log = log;
        for (Mapping mapping : mappings) {
            // Only what is written from now on: what the shards hold already is read and passed over
            // (DynamoDB Local refuses a LATEST iterator of a shard with no record yet).
            for (Shard shard : streams.describeStream(r -> r.streamArn(mapping.streamArn())).streamDescription().shards()) {
                String key = mapping.functionId() + "|" + shard.shardId();
                String iterator = streams.getShardIterator(r -> r.streamArn(mapping.streamArn())
                        .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (iterator != null) {
                    var page = streams.getRecords(getRecords(iterator));
                    page.records().forEach(record -> lastSequence.put(key, new java.math.BigInteger(record.dynamodb().sequenceNumber())));
                    iterator = page.records().isEmpty() ? null : page.nextShardIterator();
                }
            }
        }
        this.poller = new Thread(this::pollUntilClosed, "userhub-local-streams");
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * @param handlers each stream-fed function's handler, by logical id
     */
    static LocalStreamMapping fromTemplate(SamTemplate template, DynamoDbClient dynamo, URI endpoint, String region,
                                           Map<String, String> tableNames,
                                           Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> handlers,
                                           Consumer<String> log) {
        List<Mapping> mappings = new ArrayList<>();
        for (SamTemplate.Function function : template.functions()) {
            JsonNode events = template.root().at("/Resources/" + function.logicalId() + "/Properties/Events");
            events.fields().forEachRemaining(event -> {
                if (!"DynamoDB".equals(event.getValue().path("Type").asText())) {
                    return;
                }
                JsonNode properties = event.getValue().path("Properties");
                String tableId = properties.path("Stream").asText().split("\\.")[0];
                String streamArn = dynamo.describeTable(r -> r.tableName(tableNames.getOrDefault(tableId, tableId))).table().latestStreamArn();
                List<JsonNode> patterns = new ArrayList<>();
                properties.path("FilterCriteria").path("Filters")
                        .forEach(filter -> patterns.add(Json.parseObject(filter.path("Pattern").asText()).orElseThrow()));
                var handler = handlers.get(function.logicalId());
                if (handler == null) {
                    throw new IllegalStateException("no local handler for " + function.logicalId());
                }
                mappings.add(new Mapping(function.logicalId(), streamArn, patterns, properties.path("MaximumRetryAttempts").asInt(2), handler));
            });
        }
        DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        return new LocalStreamMapping(streams, mappings, log);
    }

    private void pollUntilClosed() {
        while (running) {
            try {
                for (Mapping mapping : mappings) {
                    poll(mapping);
                }
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException stopped) {
                return;
            } catch (RuntimeException fault) {
                if (!running) {
                    return;
                }
                log.accept(Json.write(io.userhub.shared.observability.JsonLog.line("WARN", "local stream poll failed: " + fault)));
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    private void poll(Mapping mapping) {
        for (Shard shard : streams.describeStream(r -> r.streamArn(mapping.streamArn())).streamDescription().shards()) {
            String key = mapping.functionId() + "|" + shard.shardId();
            String iterator = iterators.computeIfAbsent(key, k -> fromShardStart(mapping, shard.shardId()));
            if (iterator == null) {
                continue;
            }
            software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse page;
            try {
                page = streams.getRecords(getRecords(iterator));
            } catch (software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException
                     | software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException stale) {
                iterators.remove(key);
                continue;
            }
            iterators.put(key, page.nextShardIterator());
            List<Object> batch = new ArrayList<>();
            for (Record record : page.records()) {
                java.math.BigInteger sequence = new java.math.BigInteger(record.dynamodb().sequenceNumber());
                if (lastSequence.containsKey(key) && sequence.compareTo(lastSequence.get(key)) <= 0) {
                    continue;
                }
                lastSequence.put(key, sequence);
                Map<String, Object> event = lambdaShape(record);
                if (mapping.patterns().isEmpty() || mapping.patterns().stream().anyMatch(p -> matches(p, Json.MAPPER.valueToTree(event)))) {
                    batch.add(event);
                }
            }
            if (!batch.isEmpty()) {
                invoke(mapping, Map.of("Records", batch));
            }
        }
    }

    /** An iterator from the shard's start: the records already read are passed over by their sequence numbers. */
    private String fromShardStart(Mapping mapping, String shardId) {
        return streams.getShardIterator(r -> r.streamArn(mapping.streamArn()).shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
    }

    private static software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest getRecords(String iterator) {
        return software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest.builder().shardIterator(iterator).build();
    }

    private void invoke(Mapping mapping, Map<String, Object> event) {
        for (int attempt = 0; ; attempt++) {
            try {
                mapping.handler().handleRequest(event, io.userhub.devkit.LambdaContext.withRemaining(mapping.functionId(),
                        java.time.Duration.ofSeconds(30)));
                return;
            } catch (RuntimeException failed) {
                if (attempt >= mapping.retries()) {
                    log.accept(Json.write(io.userhub.shared.observability.JsonLog.line("ERROR",
                            mapping.functionId() + " failed a stream batch; dropped after its retries: " + failed)));
                    return;
                }
            }
        }
    }

    /** An event filter pattern's subset: a field's list names the values allowed, an object descends. */
    static boolean matches(JsonNode pattern, JsonNode value) {
        var fields = pattern.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode actual = value.path(field.getKey());
            if (field.getValue().isArray()) {
                boolean any = false;
                for (JsonNode allowed : field.getValue()) {
                    any |= allowed.equals(actual);
                }
                if (!any) {
                    return false;
                }
            } else if (!matches(field.getValue(), actual)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> lambdaShape(Record record) {
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        dynamodb.put("Keys", attributes(record.dynamodb().keys()));
        if (record.dynamodb().hasNewImage()) {
            dynamodb.put("NewImage", attributes(record.dynamodb().newImage()));
        }
        dynamodb.put("SequenceNumber", record.dynamodb().sequenceNumber());
        dynamodb.put("StreamViewType", record.dynamodb().streamViewTypeAsString());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventID", record.eventID());
        event.put("eventName", record.eventNameAsString());
        event.put("eventSource", "aws:dynamodb");
        event.put("dynamodb", dynamodb);
        return event;
    }

    private static Map<String, Object> attributes(Map<String, AttributeValue> values) {
        Map<String, Object> json = new LinkedHashMap<>();
        values.forEach((name, value) -> json.put(name, attribute(value)));
        return json;
    }

    private static Map<String, Object> attribute(AttributeValue value) {
        if (value.s() != null) {
            return Map.of("S", value.s());
        }
        if (value.n() != null) {
            return Map.of("N", value.n());
        }
        if (value.bool() != null) {
            return Map.of("BOOL", value.bool());
        }
        if (value.hasL()) {
            return Map.of("L", value.l().stream().map(LocalStreamMapping::attribute).toList());
        }
        if (value.hasM()) {
            return Map.of("M", attributes(value.m()));
        }
        return Map.of("NULL", true);
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        streams.close();
    }
}
