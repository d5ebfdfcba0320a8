package io.userhub.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.AwsClients;
import io.userhub.shared.config.Environment;
import io.userhub.shared.http.Json;
import io.userhub.functions.users.ExportUserHandler;
import io.userhub.functions.users.UserAdminUseCase;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.store.Tables;
import io.userhub.shared.validation.Rejection;
import io.userhub.shared.store.LegacyDeviceMigration;
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
 */
public final class OperatorMain {
    private OperatorMain() {}

    static final String USAGE = """
            usage: userhub-operator COMMAND [options]   (prints JSON; secrets appear once, when created)
              create-domain   --domain D [--name NAME]
              create-app      --domain D --app A [--identity-enabled false]
              list-apps
              show-app        --app A
              add-key         --app A [--alg HS256|HS384|HS512]  |  --app A --alg RS256|ES256 --public-key-file key.pem
              retire-key      --app A --kid K [--force]
              set-jwks        --app A --url https://backend.example.com/.well-known/jwks.json   (--url "" removes it)
              schedule-key    --app A --kid K [--not-before 2026-12-24T09:00:00Z] [--retire-at 2027-01-07T09:00:00Z]
              create-api-key  --app A
              revoke-api-key  --app A --api-key-id ID
              seal-secrets    --app A   seals the app's HS secrets stored in clear under the stack's key
                              (SECRETS_KMS_KEY_ID: the stack's SecretsKeyId output; envelope encryption)
              set-settings    --app A [--session-lifetime 24h] [--refresh-notice 30m] [--token-max-age 24h]
                              [--clock-skew 60s] [--anonymous-policy discard|merge]
                              [--login-modes identities_jwt,external_id_jwt,user_id] [--user-id-verification none|hmac]
                              [--verification off|optional|required]  (unsigned logins in the signed modes: staged enforcement)
                              [--sunshine-compatibility on|off]  (external-id JWTs as Sunshine Conversations accepts them)
                              [--anonymous-inactivity 30d]  (what an anonymous login made expires this long after its last login)
                              [--new-anonymous-devices-per-ip-per-hour 100]  (beyond it, 429 for new anonymous devices)
                              [--require-verified-email true|false]  (emails claim only when the token says email_verified: true)
                              [--signed-only-keys user_vip_segment,plan,tags]  (set only by a signed token's attributes)
                              [--allowed-origins https://shop.example.com,...]  (the widget's sites; "" for the stack's list)
                              [--sticky email,phone_number] [--identifier-limit email=3 ...] [--resolution-priority phone_number,email]
                              (identity resolution: identifiers that never move, values per identifier, who decides without a uid)
                              [--custom-field key=type ...]
                              [--blocked-values 0,-1,null,...] [--updates-per-minute 60] [--identity-enabled true|false]
              audit           --app A [--user-id U] [--kind login,identity_moved,...] [--since 2026-12-01T00:00:00Z] [--max 1000]
                              the app's audit records (or a person's, in every app of the domain), a JSON line each
              export-user     --app A --user-id U [--users-table NAME] [--sessions-table NAME]
                              everything userhub holds about a user (GDPR access), as one JSON document
              unmerge         --app A --user-id U --merge-id M   (M: details.merge_id of the user's login in the audit trail)
                              undoes that login's identity moves and anonymous merge, where it is still safe
              revoke-sessions --app A [--before 2026-12-04T09:00:00Z]   (default: now)
                              ends every session of the app issued before the instant, for an incident (a leaked key
                              or API key): one write, in force on every session route within the functions' app cache (60 s)
              rules-dry-run   --app A --file body.json   ({"rules": {...}, "samples": [...]}, as POST .../rules:dry-run)
                              what proposed identity-resolution rules would do to sample logins; writes nothing
              migrate-devices [--users-table NAME] [--sessions-table NAME]
                              once, after deploying the device layout: moves each device of the first layout
                              to its item in the sessions table (docs/data-model.md, "Migration")
            options for every command:
              --apps-table NAME   (default: $APPS_TABLE, else AppsTable; a stack's is its AppsTableName output)
              --users-table NAME  (default: $USERS_TABLE, else UsersTable: show-app reads each key's last day of use there)
              --endpoint URL      (default: $AWS_ENDPOINT_URL_DYNAMODB / $AWS_ENDPOINT_URL, else AWS)
              --region REGION     (default: $AWS_REGION, else the AWS profile's region)""";

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, Clock.systemUTC()));
    }

    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err, Clock clock) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, List<String>> options;
        try {
            options = parse(args);
        } catch (OperatorException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        Map<String, String> env = new HashMap<>(environment);
        first(options, "endpoint").ifPresent(e -> env.put("AWS_ENDPOINT_URL_DYNAMODB", e));
        first(options, "region").ifPresent(r -> env.put("AWS_REGION", r));
        if (!env.containsKey("AWS_REGION")) {
            try {
                env.put("AWS_REGION", new DefaultAwsRegionProviderChain().getRegion().id());
            } catch (RuntimeException noRegion) {
                env.put("AWS_REGION", "us-east-1");
            }
        }
        String table = first(options, "apps-table").orElse(env.getOrDefault("APPS_TABLE", "AppsTable"));
        try (DynamoDbClient dynamo = AwsClients.dynamo(new Environment(env), List.of())) {
            if (USE_CASE_COMMANDS.contains(args[0])) {
                Tables tables = new Tables(table, first(options, "users-table").orElse(env.getOrDefault("USERS_TABLE", "UsersTable")),
                        first(options, "sessions-table").orElse(env.getOrDefault("SESSIONS_TABLE", "SessionsTable")));
                Wiring wiring = Wiring.of(dynamo, tables, clock, java.time.Duration.ZERO, AwsClients.secretSeal(new Environment(env)));
                try {
                    AppConfig app = wiring.apps().require(required(options, "app"));
                    out.println(Json.write(useCase(args[0], options, wiring, app)));
                    return 0;
                } catch (Rejection refused) {
                    Object problem = refused.problem().details().get("problem");
                    throw new OperatorException(refused.problem().reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + (problem == null ? "" : ": " + problem)
                            + (refused.problem().errors().isEmpty() ? "" : " " + refused.problem().errors()));
                } finally {
                    wiring.parallel().shutdownNow();
                }
            }
            if (args[0].equals("migrate-devices")) {
                LegacyDeviceMigration.Report report = new LegacyDeviceMigration(dynamo,
                        first(options, "users-table").orElse(env.getOrDefault("USERS_TABLE", "UsersTable")),
                        first(options, "sessions-table").orElse(env.getOrDefault("SESSIONS_TABLE", "SessionsTable"))).migrate();
                out.println(Json.write(Json.object().put("devices_moved", report.devicesMoved())
                        .put("already_on_the_new_layout", report.alreadyOnTheNewLayout())
                        .put("first_layout_sessions_ended", report.sessionsEnded())));
                return 0;
            }
            io.userhub.shared.crypto.SecretSeal seal = AwsClients.secretSeal(new Environment(env));
            if (java.util.Set.of("create-app", "add-key").contains(args[0]) && !seal.seals()
                    && new Environment(env).dynamoEndpoint().isEmpty() && !options.containsKey("allow-clear-secrets")) {
                // A deployed stack's secrets are sealed: writing one in clear is a mistake unless asked for.
                throw new OperatorException("set SECRETS_KMS_KEY_ID to the stack's SecretsKeyId output so the secret is stored sealed"
                        + " (or pass --allow-clear-secrets)");
            }
            String usersTable = first(options, "users-table").orElse(env.getOrDefault("USERS_TABLE", "UsersTable"));
            OperatorCommands commands = new OperatorCommands(new AppStore(dynamo, table, seal),
                    new io.userhub.shared.store.KeyUses(dynamo, usersTable),
                    new io.userhub.shared.store.AuditTrail(dynamo, usersTable, io.userhub.shared.store.AuditTrail.retention(new Environment(env))),
                    clock);
            for (ObjectNode line : execute(args[0], options, commands)) {
                out.println(Json.write(line));
            }
            return 0;
        } catch (OperatorException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Commands that run a use case of the functions on the app's tables, as its route does. */
    private static final java.util.Set<String> USE_CASE_COMMANDS = java.util.Set.of("export-user", "unmerge", "rules-dry-run",
            "revoke-sessions");

    private static ObjectNode useCase(String command, Map<String, List<String>> o, Wiring wiring, AppConfig app) {
        return switch (command) {
            case "export-user" -> ExportUserHandler.render(new UserAdminUseCase(wiring).export(app, required(o, "user-id")), wiring.clock());
            case "unmerge" -> io.userhub.functions.users.UnmergeHandler.render(new io.userhub.functions.users.UnmergeUseCase(wiring)
                    .unmerge(app, required(o, "user-id"), required(o, "merge-id")));
            case "revoke-sessions" -> io.userhub.functions.session.RevokeSessionsHandler.render(app,
                    new io.userhub.functions.session.RevokeSessionsUseCase(new AppStore(wiring.dynamo(), wiring.tables().apps()),
                            new io.userhub.shared.store.AuditTrail(wiring.dynamo(), wiring.tables().users(),
                                    io.userhub.shared.store.AuditTrail.retention(Environment.system()))::write, wiring.clock())
                            .revoke(app, io.userhub.functions.session.RevokeSessionsUseCase.parseInstant("before", first(o, "before").orElse(null)),
                                    "operator"),
                    wiring.apps().lifetime().toSeconds());
            default -> io.userhub.functions.rules.RulesDryRunHandler.run(new io.userhub.functions.rules.RulesDryRunUseCase(
                            new io.userhub.shared.store.UserStore(wiring.dynamo(), wiring.tables().users())), app,
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
            default -> throw new OperatorException("unknown command " + command + " (try --help)");
        };
    }

    /** {@code --name value} pairs; a flag followed by another flag (or nothing) has no value. */
    static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new OperatorException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
            options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return options;
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
                .orElseThrow(() -> new OperatorException("--" + name + " is required"));
    }
}
