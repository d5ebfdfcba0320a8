package io.userhub.shared.observability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.json.Json;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON object per line, the shape the template's {@code LoggingConfig: LogFormat: JSON}
 * expects, with CloudWatch Embedded Metric Format ({@code _aws}) where a line carries metrics, so
 * that metrics cost no API call. Lines never carry a secret, a token or a raw identity value:
 * callers pass ids, routes, reasons and numbers only.
 */
public final class JsonLog {
    private JsonLog() {}

    public static final String NAMESPACE = "userhub";

    private static volatile Consumer<String> sink = line -> {
        System.out.println(line);
        System.out.flush();
    };

    /** Where lines go: stdout on Lambda; the local server sends them to stderr, tests capture them. */
    public static void sinkTo(Consumer<String> lines) {
        sink = lines;
    }

    public static ObjectNode line(String level, String message) {
        ObjectNode line = Json.object();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        String function = io.userhub.shared.config.Environment.system().get("AWS_LAMBDA_FUNCTION_NAME").orElse(null);
        if (function != null) {
            line.put("function", function);
        }
        return line;
    }

    /**
     * Adds EMF metadata: each metric (name to value, with its unit) under every dimension set
     * given; the dimension values must already be members of the line.
     */
    public static ObjectNode withMetrics(ObjectNode line, Map<String, Number> metrics, Map<String, String> units,
                                         String[]... dimensionSets) {
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        for (String[] set : dimensionSets) {
            ArrayNode names = dimensions.addArray();
            for (String name : set) {
                names.add(name);
            }
        }
        ArrayNode definitions = directive.putArray("Metrics");
        metrics.forEach((name, value) -> {
            definitions.addObject().put("Name", name).put("Unit", units.getOrDefault(name, "Count"));
            line.set(name, Json.MAPPER.valueToTree(value));
        });
        return line;
    }

    public static void emit(ObjectNode line) {
        sink.accept(Json.write(line));
    }
}
