package io.userhub.operator;

import io.userhub.functions.UseCases;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.AwsClients;
import io.userhub.shared.config.Environment;
import io.userhub.shared.json.Json;
import io.userhub.functions.users.ExportUserHandler;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.store.Tables;
import io.userhub.shared.validation.Rejection;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar operator/target/userhub-operator.jar COMMAND [--option value ...]}
 * against the DynamoDB that the AWS default credentials and region (or AWS_ENDPOINT_URL) name.
 * The command line is {@link OperatorCli}'s; failures are one readable line on stderr (or one JSON
 * line with {@code --json}) and an exit code that tells a usage error (2) from a refusal (1) and
 * from AWS's environment (3).
 */
public final class OperatorMain {
    private OperatorMain() {}

    /** Exit codes (the root command's --help lists them). */
    static final int DONE = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int AWS = 3;

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, Clock.systemUTC()));
    }

    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err, Clock clock) {
        picocli.CommandLine cli = OperatorCli.commandLine();
        java.io.PrintWriter outWriter = new java.io.PrintWriter(out, true);
        java.io.PrintWriter errWriter = new java.io.PrintWriter(err, true);
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        boolean json = java.util.Arrays.asList(args).contains("--json");
        picocli.CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (picocli.CommandLine.UnmatchedArgumentException unknown) {
            boolean atRoot = unknown.getCommandLine() == cli;
            String first = unknown.getUnmatched().isEmpty() ? "" : unknown.getUnmatched().get(0);
            String message = atRoot && !first.startsWith("-") ? "unknown command '" + first + "'"
                    : first.startsWith("-") ? "unknown option '" + first + "'" : "unexpected argument '" + first + "'";
            return usageError(message, unknown.getCommandLine(), json, err);
        } catch (picocli.CommandLine.ParameterException usage) {
            return usageError(usage.getMessage(), usage.getCommandLine(), json, err);
        }
        if (picocli.CommandLine.printHelpIfRequested(parsed)) {
            return DONE;
        }
        if (!parsed.hasSubcommand()) {
            return usageError("a command is required", cli, json, err);
        }
        picocli.CommandLine.ParseResult command = parsed.subcommand();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (picocli.CommandLine.Model.OptionSpec option : command.matchedOptions()) {
            String name = option.longestName().substring(2);
            List<String> values = option.arity().max == 0 ? List.of("") : option.stringValues();
            options.put(name, values);
        }
        try {
            return execute(command.commandSpec().name(), options, environment, out, clock);
        } catch (UsageException usage) {
            return usageError(usage.getMessage(), command.commandSpec().commandLine(), json, err);
        } catch (AwsSetupException setup) {
            return failure("aws", setup.getMessage(), AWS, json, err);
        } catch (OperatorException refused) {
            return failure("refused", refused.getMessage(), REFUSED, json, err);
        } catch (RuntimeException failed) {
            OperatorErrors.Readable readable = OperatorErrors.readable(failed, options);
            return failure(readable.kind(), readable.message(), readable.aws() ? AWS : REFUSED, json, err);
        }
    }

    private static int usageError(String message, picocli.CommandLine command, boolean json, PrintStream err) {
        if (json) {
            return failure("usage", message, USAGE, true, err);
        }
        err.println("error: " + message);
        err.println();
        err.print(command.getUsageMessage());
        return USAGE;
    }

    private static int failure(String kind, String message, int exitCode, boolean json, PrintStream err) {
        if (json) {
            err.println(Json.write(Json.object().set("error", Json.object().put("kind", kind).put("message", message)
                    .put("exit_code", exitCode))));
        } else {
            err.println("error: " + message);
        }
        return exitCode;
    }

    /** What AWS's environment lacks before any call is made (exit 3, like the SDK's own failures). */
    static final class AwsSetupException extends OperatorException {
        AwsSetupException(String message) {
            super(message);
        }
    }

    /** A missing value the parser could not see (an option given as ""): a usage error like picocli's own. */
    static final class UsageException extends OperatorException {
        UsageException(String message) {
            super(message);
        }
    }

    private static int execute(String commandName, Map<String, List<String>> options, Map<String, String> environment,
                               PrintStream out, Clock clock) {
        String[] args = {commandName};
        Map<String, String> env = new HashMap<>(environment);
        first(options, "endpoint").ifPresent(e -> env.put("AWS_ENDPOINT_URL_DYNAMODB", e));
        first(options, "region").ifPresent(r -> env.put("AWS_REGION", r));
        if (!env.containsKey("AWS_REGION")) {
            try {
                env.put("AWS_REGION", new DefaultAwsRegionProviderChain().getRegion().id());
            } catch (RuntimeException noRegion) {
                boolean local = env.containsKey("AWS_ENDPOINT_URL_DYNAMODB") || env.containsKey("AWS_ENDPOINT_URL");
                if (!local) {
                    // Against AWS a guessed region would read or write another region's tables.
                    throw new AwsSetupException("no AWS region: pass --region or set AWS_REGION (or AWS_PROFILE with a region)");
                }
                env.put("AWS_REGION", "us-east-1");
            }
        }
        String table = first(options, "apps-table").orElse(env.getOrDefault("APPS_TABLE", "AppsTable"));
        try (DynamoDbClient dynamo = AwsClients.dynamo(new Environment(env), List.of())) {
            if (USE_CASE_COMMANDS.contains(args[0])) {
                Tables tables = new Tables(table, first(options, "users-table").orElse(env.getOrDefault("USERS_TABLE", "UsersTable")),
                        first(options, "sessions-table").orElse(env.getOrDefault("SESSIONS_TABLE", "SessionsTable")),
                        first(options, "webhooks-table").orElse(env.getOrDefault("WEBHOOKS_TABLE", "WebhooksTable")));
                Wiring cached = Wiring.of(dynamo, tables, clock, java.time.Duration.ZERO, AwsClients.secretSeal(new Environment(env)));
                // the stack's retentions, as the functions read them (AUDIT_RETENTION_DAYS, ERASED_IDENTITY_RETENTION_DAYS)
                Wiring wiring = new Wiring(dynamo, tables, clock, cached.apps(), cached.parallel(), java.util.Set.of("*"),
                        new Environment(env).auditRetention(), new Environment(env).erasedIdentityRetention(), cached.webhooks());
                try {
                    AppConfig app = wiring.apps().require(required(options, "app"));
                    if (args[0].contains("webhook")) {
                        webhooks(args[0], options, env, wiring, app).forEach(line -> out.println(Json.write(line)));
                        return DONE;
                    }
                    out.println(Json.write(useCase(args[0], options, wiring, app)));
                    return DONE;
                } catch (Rejection refused) {
                    Object problem = refused.problem().details().get("problem");
                    throw new OperatorException(refused.problem().reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + (problem == null ? "" : ": " + problem)
                            + (refused.problem().errors().isEmpty() ? "" : " " + refused.problem().errors()));
                } finally {
                    wiring.parallel().shutdownNow();
                }
            }
            io.userhub.shared.crypto.SecretSeal seal = AwsClients.secretSeal(new Environment(env));
            if (java.util.Set.of("create-app", "add-key").contains(args[0]) && !seal.seals()
                    && new Environment(env).dynamoEndpoint().isEmpty() && !options.containsKey("allow-clear-secrets")) {
                // A deployed stack's secrets are sealed: writing one in clear is a mistake unless asked for.
                throw new OperatorException("set SECRETS_KMS_KEY_ID to the stack's SecretsKeyId output so the secret is stored sealed"
                        + " (or pass --allow-clear-secrets)");
            }
            String usersTable = first(options, "users-table").orElse(env.getOrDefault("USERS_TABLE", "UsersTable"));
            var audit = new io.userhub.shared.store.AuditTrail(dynamo, usersTable, new Environment(env).auditRetention());
            // A command's records are written before it answers, on this thread: the process ends with the answer.
            OperatorCommands commands = new OperatorCommands(new AppStore(dynamo, table, seal),
                    new io.userhub.shared.store.KeyUses(dynamo, usersTable), audit,
                    new io.userhub.shared.audit.AuditWriter(audit::write, Runnable::run), clock);
            for (ObjectNode line : execute(args[0], options, commands)) {
                out.println(Json.write(line));
            }
            return DONE;
        }
    }

    /** Commands that run a use case of the functions on the app's tables, as its route does. */
    private static final java.util.Set<String> USE_CASE_COMMANDS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("export-user", "unmerge", "rules-dry-run", "revoke-sessions"),
            OperatorCli.WEBHOOK_COMMANDS.stream().map(OperatorCli.Command::name)).collect(java.util.stream.Collectors.toSet());

    /**
     * The webhook commands, on the routes' use case. Resends and replays go to the stack's queue; an endpoint URL on
     * 127.0.0.1 is allowed only against a local stack (a DynamoDB endpoint on loopback).
     */
    private static List<com.fasterxml.jackson.databind.JsonNode> webhooks(String command, Map<String, List<String>> o,
                                                                          Map<String, String> env, Wiring wiring, AppConfig app) {
        Environment environment = new Environment(env);
        boolean local = environment.dynamoEndpoint().map(e -> java.net.URI.create(e).getHost())
                .map(host -> host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")).orElse(false);
        io.userhub.shared.port.DeliveryQueue queue = new io.userhub.shared.port.DeliveryQueue() {
            private io.userhub.shared.sqs.SqsDeliveryQueue sqs() {
                String url = first(o, "queue-url").or(() -> environment.get(Environment.WEBHOOK_QUEUE_URL)).orElseThrow(() ->
                        new OperatorException("no queue to send to: pass --queue-url or set WEBHOOK_QUEUE_URL (the stack's WebhookQueueUrl"
                                + " output); against ./run-local, use the route POST .../webhooks/{id}/deliveries"));
                return new io.userhub.shared.sqs.SqsDeliveryQueue(AwsClients.sqs(environment), url, url);
            }

            @Override
            public void enqueue(List<io.userhub.shared.webhook.Delivery> deliveries) {
                sqs().enqueue(deliveries);
            }

            @Override
            public void deadLetter(io.userhub.shared.webhook.Delivery delivery, String reason) {
                throw new IllegalStateException("the operator dead-letters nothing");
            }
        };
        var webhooks = UseCases.of(wiring).webhookEndpoints(queue, local);
        String endpointId = first(o, "endpoint-id").orElse(null);
        java.util.function.Function<String, List<String>> list = name -> first(o, name)
                .map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList()).orElse(null);
        return switch (command) {
            case "list-webhooks" -> webhooks.list(app).stream().map(e -> (com.fasterxml.jackson.databind.JsonNode)
                    io.userhub.functions.webhooks.WebhooksHandler.render(e)).toList();
            case "create-webhook" -> {
                var created = webhooks.create(app, required(o, "url"), list.apply("event-types"), null, first(o, "description").orElse(null));
                yield List.of(io.userhub.functions.webhooks.WebhooksHandler.render(created.endpoint()).put("secret", created.secret()));
            }
            case "update-webhook" -> List.of(io.userhub.functions.webhooks.WebhooksHandler.render(webhooks.update(app, endpointId,
                    new io.userhub.functions.webhooks.WebhookEndpointsUseCase.Changes(first(o, "url"),
                            java.util.Optional.ofNullable(list.apply("event-types")),
                            first(o, "enabled").map(v -> OperatorCommands.bool(v, "enabled")), first(o, "description")))));
            case "rotate-webhook-secret" -> {
                var rotated = webhooks.rotateSecret(app, endpointId,
                        first(o, "overlap-hours").map(OperatorMain::hours).orElse(null));
                yield List.of(io.userhub.functions.webhooks.WebhooksHandler.render(rotated.endpoint()).put("secret", rotated.secret())
                        .put("previous_secret_retires_at", rotated.previousRetiresAt().toString()));
            }
            case "delete-webhook" -> {
                webhooks.delete(app, endpointId);
                yield List.of(Json.object().put("id", endpointId).put("deleted", true));
            }
            case "webhook-deliveries" -> webhooks.deliveries(app, endpointId,
                    first(o, "limit").map(v -> OperatorCommands.positiveInt(v, "limit"))
                    .orElse(io.userhub.shared.webhook.EndpointRules.DEFAULT_LISTED_DELIVERIES)).stream()
                    .map(r -> (com.fasterxml.jackson.databind.JsonNode) io.userhub.functions.webhooks.WebhooksHandler.render(r)).toList();
            case "resend-webhook" -> List.of(io.userhub.functions.webhooks.WebhooksHandler.render(
                    webhooks.resend(app, endpointId, required(o, "delivery-id"))).put("queued", 1));
            default -> {
                var replayed = webhooks.replay(app, endpointId, instant(required(o, "since"), "since"),
                        first(o, "until").map(v -> instant(v, "until")).orElse(null));
                yield List.of(Json.object().put("endpoint_id", endpointId).put("queued", replayed.events())
                        .put("next_since", replayed.nextSince().map(java.time.Instant::toString).orElse(null)));
            }
        };
    }

    private static long hours(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notANumber) {
            throw new OperatorException("--overlap-hours must be a whole number of hours (0 to 168)");
        }
    }

    private static java.time.Instant instant(String value, String option) {
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException unreadable) {
            throw new OperatorException("--" + option + " must be an instant such as 2026-12-01T00:00:00Z");
        }
    }

    private static ObjectNode useCase(String command, Map<String, List<String>> o, Wiring wiring, AppConfig app) {
        return switch (command) {
            case "export-user" -> ExportUserHandler.render(UseCases.of(wiring).userAdmin().export(app, required(o, "user-id")), wiring.clock());
            case "unmerge" -> io.userhub.functions.users.UnmergeHandler.render(UseCases.of(wiring).unmerge()
                    .unmerge(app, required(o, "user-id"), required(o, "merge-id")));
            case "revoke-sessions" -> io.userhub.functions.session.RevokeSessionsHandler.render(app,
                    UseCases.of(wiring).revokeSessions()
                            .revoke(app, io.userhub.functions.session.RevokeSessionsUseCase.parseInstant("before", first(o, "before").orElse(null)),
                                    "operator"),
                    wiring.apps().lifetime().toSeconds());
            default -> io.userhub.functions.rules.RulesDryRunHandler.run(UseCases.of(wiring).rulesDryRun(), app,
                    Json.parseObject(readFile(required(o, "file")).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .orElseThrow(() -> new OperatorException("--file must hold a JSON object")),
                    wiring.clock().instant().getEpochSecond());
        };
    }

    private static List<ObjectNode> execute(String command, Map<String, List<String>> o, OperatorCommands commands) {
        return switch (command) {
            case "create-domain" -> List.of(commands.createDomain(required(o, "domain"), first(o, "name").orElse(null)));
            case "create-app" -> List.of(commands.createApp(required(o, "domain"), required(o, "app"),
                    !first(o, "identity-enabled").orElse("true").equalsIgnoreCase("false")));
            case "list-apps" -> commands.listApps();
            case "show-app" -> List.of(commands.describe(required(o, "app")));
            case "add-key" -> List.of(commands.addKey(required(o, "app"), first(o, "alg").orElse(null),
                    first(o, "public-key-file").map(OperatorMain::readFile).orElse(null)));
            case "retire-key" -> List.of(commands.retireKey(required(o, "app"), required(o, "kid"), o.containsKey("force")));
            case "set-jwks" -> List.of(commands.setJwks(required(o, "app"), first(o, "url").orElseThrow(
                    () -> new OperatorException("--url is required (\"\" removes the JWK Set)"))));
            case "schedule-key" -> List.of(commands.scheduleKey(required(o, "app"), required(o, "kid"),
                    first(o, "not-before").orElse(null), first(o, "retire-at").orElse(null)));
            case "create-api-key" -> List.of(commands.createApiKey(required(o, "app")));
            case "revoke-api-key" -> List.of(commands.revokeApiKey(required(o, "app"), required(o, "api-key-id")));
            case "seal-secrets" -> List.of(commands.sealSecrets(required(o, "app")));
            case "set-settings" -> List.of(commands.setSettings(required(o, "app"), o));
            case "audit" -> commands.auditRecords(required(o, "app"), first(o, "user-id").orElse(null), first(o, "kind").orElse(null),
                    first(o, "since").orElse(null), first(o, "max").map(v -> OperatorCommands.positiveInt(v, "max")).orElse(1000));
            default -> throw new UsageException("unknown command " + command + " (try --help)");
        };
    }

    private static String readFile(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new OperatorException("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static java.util.Optional<String> first(Map<String, List<String>> options, String name) {
        List<String> values = options.getOrDefault(name, List.of());
        return values.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(values.get(values.size() - 1));
    }

    private static String required(Map<String, List<String>> options, String name) {
        return first(options, name).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new UsageException("--" + name + " needs a value"));
    }
}
