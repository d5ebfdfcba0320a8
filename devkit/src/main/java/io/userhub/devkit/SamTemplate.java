package io.userhub.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the local server and the tests need from {@code template.yaml}: the tables, the
 * functions with their handlers and HTTP routes, and the shared environment. Intrinsic
 * functions are read as their argument ({@code !Ref UsersTable} reads as {@code UsersTable}),
 * which is the local name of that table.
 */
public final class SamTemplate {

    public record Route(String method, String path) {}

    /** @param timeoutSeconds the function's Timeout, else the Globals' (Lambda's default 3 s without either) */
    public record Function(String logicalId, String handlerClass, List<Route> routes, List<String> schedules,
                           Map<String, String> environment, int timeoutSeconds) {}

    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate load(Path path) {
        try {
            return new SamTemplate(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /** The project's template: the path the build passes in, else found upwards from the working directory. */
    public static SamTemplate locate() {
        return load(locatePath());
    }

    public static Path locatePath() {
        String configured = System.getProperty("userhub.template");
        if (configured != null && Files.exists(Path.of(configured))) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("template.yaml not found; pass -Duserhub.template=PATH");
    }

    public JsonNode root() {
        return root;
    }

    /** Logical id to resource body, for every resource of the given type. */
    public Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        JsonNode resources = root.path("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        }
        return found;
    }

    public Map<String, JsonNode> tables() {
        return resources("AWS::DynamoDB::Table");
    }

    /** Globals.Function.Environment.Variables merged with each function's own. */
    public List<Function> functions() {
        Map<String, String> globalEnv = variables(root.path("Globals").path("Function").path("Environment").path("Variables"));
        List<Function> functions = new ArrayList<>();
        resources("AWS::Serverless::Function").forEach((id, resource) -> {
            JsonNode properties = resource.path("Properties");
            String handler = properties.path("Handler").asText();
            String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            List<Route> routes = new ArrayList<>();
            List<String> schedules = new ArrayList<>();
            for (JsonNode event : properties.path("Events")) {
                if ("Schedule".equals(event.path("Type").asText()) || "ScheduleV2".equals(event.path("Type").asText())) {
                    JsonNode schedule = event.path("Properties").path("Schedule");
                    schedules.add(schedule.isMissingNode() ? event.path("Properties").path("ScheduleExpression").asText() : schedule.asText());
                }
                if ("HttpApi".equals(event.path("Type").asText())) {
                    routes.add(new Route(event.path("Properties").path("Method").asText().toUpperCase(java.util.Locale.ROOT),
                            event.path("Properties").path("Path").asText()));
                }
            }
            Map<String, String> env = new LinkedHashMap<>(globalEnv);
            env.putAll(variables(properties.path("Environment").path("Variables")));
            JsonNode timeout = properties.path("Timeout").isMissingNode() ? root.path("Globals").path("Function").path("Timeout")
                    : properties.path("Timeout");
            functions.add(new Function(id, handlerClass, routes, schedules, env, timeout.asInt(3)));
        });
        return functions;
    }

    /** The HTTP API's CORS configuration, parameters resolved to their defaults; empty when none. */
    public Map<String, List<String>> cors() {
        Map<String, List<String>> cors = new LinkedHashMap<>();
        for (JsonNode api : resources("AWS::Serverless::HttpApi").values()) {
            JsonNode config = api.path("Properties").path("CorsConfiguration");
            for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                List<String> values = new ArrayList<>();
                if (entry.getValue().isArray()) {
                    entry.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    String value = entry.getValue().asText();
                    JsonNode parameter = root.path("Parameters").path(value);
                    values.addAll(List.of((parameter.has("Default") ? parameter.path("Default").asText() : value).split(",")));
                }
                cors.put(entry.getKey(), values);
            }
        }
        return cors;
    }

    /** Seconds between runs of a {@code rate(N unit)} schedule expression. */
    public static long rateSeconds(String expression) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("rate\\((\\d+)\\s+(minute|minutes|hour|hours|day|days)\\)").matcher(expression.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported schedule " + expression);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "minute", "minutes" -> n * 60;
            case "hour", "hours" -> n * 3600;
            default -> n * 86_400;
        };
    }

    /** A {@code !Ref} to a parameter reads as the parameter's name; locally it takes the parameter's default. */
    private Map<String, String> variables(JsonNode node) {
        Map<String, String> vars = new LinkedHashMap<>();
        JsonNode parameters = root.path("Parameters");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String value = entry.getValue().isValueNode() ? entry.getValue().asText() : entry.getValue().toString();
            if (parameters.has(value) && parameters.path(value).has("Default")) {
                value = parameters.path(value).path("Default").asText();
            }
            vars.put(entry.getKey(), value);
        }
        return vars;
    }
}
