package io.userhub.operator;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * The operator tool's command line, declared as a table: every command, its options, which are
 * required, which repeat, which are flags. picocli parses it, so an unknown command or option, a
 * missing required option or a repeated single one is a usage error before anything runs, and
 * every command answers {@code --help}.
 */
final class OperatorCli {
    private OperatorCli() {}

    enum Kind { VALUE, REPEATED, FLAG }

    record Option(String name, String label, boolean required, Kind kind, String description) {
        static Option required(String name, String label, String description) {
            return new Option(name, label, true, Kind.VALUE, description);
        }

        static Option value(String name, String label, String description) {
            return new Option(name, label, false, Kind.VALUE, description);
        }

        static Option repeated(String name, String label, String description) {
            return new Option(name, label, false, Kind.REPEATED, description);
        }

        static Option flag(String name, String description) {
            return new Option(name, null, false, Kind.FLAG, description);
        }
    }

    record Command(String name, String description, List<Option> options) {}

    private static final Option APP = Option.required("app", "APP", "the app's id");

    /** For the commands that read sessions (export, unmerge, revocation, the dry run). */
    private static final Option SESSIONS_TABLE = Option.value("sessions-table", "NAME", "default: $SESSIONS_TABLE, else SessionsTable");

    static final List<Option> COMMON = List.of(
            Option.value("apps-table", "NAME", "default: $APPS_TABLE, else AppsTable (a stack's AppsTableName output)"),
            Option.value("users-table", "NAME", "default: $USERS_TABLE, else UsersTable (a stack's UsersTableName output)"),
            Option.value("endpoint", "URL", "DynamoDB endpoint (default: $AWS_ENDPOINT_URL_DYNAMODB / $AWS_ENDPOINT_URL, else AWS)"),
            Option.value("region", "REGION", "default: $AWS_REGION, else the AWS profile's region"),
            Option.flag("json", "errors as one JSON line on stderr: {\"error\": {\"kind\", \"message\", \"exit_code\"}}"));

    static final List<Command> COMMANDS = List.of(
            new Command("create-domain", "Creates a domain: the apps of one customer that share their users.", List.of(
                    Option.required("domain", "DOMAIN", "the domain's id"),
                    Option.value("name", "NAME", "a display name"))),
            new Command("create-app", "Creates an app with a first signing key and API key, printed once.", List.of(
                    Option.required("domain", "DOMAIN", "the domain the app belongs to"),
                    Option.required("app", "APP", "the app's id"),
                    Option.value("identity-enabled", "true|false", "identity addition and attribute batches (default true)"),
                    Option.flag("allow-clear-secrets", "against AWS without SECRETS_KMS_KEY_ID: store the secret unsealed"))),
            new Command("list-apps", "Lists every app, a JSON line each.", List.of()),
            new Command("show-app", "Prints an app's keys (never their secrets), API key ids and settings.", List.of(APP)),
            new Command("add-key", "Adds a signing key: an HS secret (printed once), or an RS256/ES256 public key.", List.of(APP,
                    Option.value("alg", "ALG", "HS256 (default), HS384, HS512, RS256 or ES256"),
                    Option.value("public-key-file", "FILE", "the PEM public key of an RS256 or ES256 key"),
                    Option.flag("allow-clear-secrets", "against AWS without SECRETS_KMS_KEY_ID: store the secret unsealed"))),
            new Command("retire-key", "Retires a signing key (refuses the app's last active key without --force).", List.of(APP,
                    Option.required("kid", "KID", "the key's id"),
                    Option.flag("force", "retire it even if it is the app's last active key (every login then fails)"))),
            new Command("set-jwks", "Sets the JWK Set URL the app's RS256/ES256 keys are fetched from.", List.of(APP,
                    Option.required("url", "URL", "https://backend.example.com/.well-known/jwks.json (\"\" removes it)"))),
            new Command("schedule-key", "Plans a key's start and retirement ahead.", List.of(APP,
                    Option.required("kid", "KID", "the key's id"),
                    Option.value("not-before", "INSTANT", "e.g. 2026-12-24T09:00:00Z"),
                    Option.value("retire-at", "INSTANT", "e.g. 2027-01-07T09:00:00Z"))),
            new Command("create-api-key", "Creates an API key for the server routes, printed once.", List.of(APP)),
            new Command("revoke-api-key", "Revokes an API key.", List.of(APP,
                    Option.required("api-key-id", "ID", "the key's id as show-app lists it"))),
            new Command("seal-secrets", "Seals the app's HS secrets stored in clear under the stack's key (SECRETS_KMS_KEY_ID).",
                    List.of(APP)),
            new Command("set-settings", "Changes only the settings given, then prints the app.", List.of(APP,
                    Option.value("session-lifetime", "DURATION", "e.g. 24h"),
                    Option.value("refresh-notice", "DURATION", "e.g. 30m"),
                    Option.value("token-max-age", "DURATION", "e.g. 24h"),
                    Option.value("clock-skew", "DURATION", "e.g. 60s"),
                    Option.value("anonymous-policy", "discard|merge", null),
                    Option.value("login-modes", "MODES", "identities_jwt,external_id_jwt,user_id"),
                    Option.value("user-id-verification", "none|hmac", null),
                    Option.value("verification", "off|optional|required", "unsigned logins in the signed modes (staged enforcement)"),
                    Option.value("sunshine-compatibility", "on|off", "external-id JWTs as Sunshine Conversations accepts them"),
                    Option.value("anonymous-inactivity", "DURATION", "what an anonymous login made expires this long after its last login"),
                    Option.value("new-anonymous-devices-per-ip-per-hour", "N", "beyond it, 429 for new anonymous devices"),
                    Option.value("require-verified-email", "true|false", "emails claim only when the token says email_verified: true"),
                    Option.value("signed-only-keys", "KEYS", "set only by a signed token's attributes, e.g. user_vip_segment,plan,tags"),
                    Option.value("allowed-origins", "ORIGINS", "the widget's sites; \"\" for the stack's list"),
                    Option.value("sticky", "IDENTIFIERS", "identifiers that never move, e.g. email,phone_number"),
                    Option.repeated("identifier-limit", "ID=N", "values per identifier (1 to 30, or none); repeatable"),
                    Option.value("resolution-priority", "IDENTIFIERS", "who decides without a uid, e.g. phone_number,email"),
                    Option.repeated("custom-field", "KEY=TYPE", "single-line|multi-line|number|date|dropdown|checkbox; repeatable"),
                    Option.value("blocked-values", "VALUES", "e.g. 0,-1,null"),
                    Option.value("updates-per-minute", "N", "identity and attribute updates per session (default 60)"),
                    Option.value("identity-enabled", "true|false", null))),
            new Command("audit", "The app's audit records (or a person's, in every app of the domain), a JSON line each.", List.of(APP,
                    Option.value("user-id", "USER", "one person's records"),
                    Option.value("kind", "KINDS", "e.g. login,identity_moved"),
                    Option.value("since", "INSTANT", "e.g. 2026-12-01T00:00:00Z"),
                    Option.value("max", "N", "at most this many records (default 1000)"))),
            new Command("export-user", "Everything userhub holds about a user (GDPR access), as one JSON document.", List.of(APP,
                    Option.required("user-id", "USER", "the user's id"), SESSIONS_TABLE)),
            new Command("unmerge", "Undoes a login's identity moves and anonymous merge, where it is still safe.", List.of(APP,
                    Option.required("user-id", "USER", "the user's id"),
                    Option.required("merge-id", "MERGE", "details.merge_id of the user's login in the audit trail"), SESSIONS_TABLE)),
            new Command("revoke-sessions", "Ends every session of the app issued before an instant (one write).", List.of(APP,
                    Option.value("before", "INSTANT", "default: now"), SESSIONS_TABLE)),
            new Command("rules-dry-run", "What proposed identity-resolution rules would do to sample logins; writes nothing.", List.of(APP,
                    Option.required("file", "FILE", "{\"rules\": {...}, \"samples\": [...]}, as POST .../rules:dry-run"), SESSIONS_TABLE)));

    private static final Option WEBHOOKS_TABLE = Option.value("webhooks-table", "NAME",
            "default: $WEBHOOKS_TABLE, else WebhooksTable (a stack's WebhooksTableName output)");
    private static final Option ENDPOINT_ID = Option.required("endpoint-id", "ID", "the endpoint's id (ep_...)");

    /** The webhook commands: the routes' use case on the stack's tables. */
    static final List<Command> WEBHOOK_COMMANDS = List.of(
            new Command("list-webhooks", "The app's webhook endpoints (never their secrets).", List.of(APP, WEBHOOKS_TABLE)),
            new Command("create-webhook", "Adds a webhook endpoint; its signing secret is printed once.", List.of(APP,
                    Option.required("url", "URL", "https://... (a public address; http://127.0.0.1 only against a local stack)"),
                    Option.required("event-types", "TYPES", "e.g. user.created,user.merged,sessions.ended"),
                    Option.value("description", "TEXT", null), WEBHOOKS_TABLE)),
            new Command("update-webhook", "Changes an endpoint's URL, event types, description or enabled state.", List.of(APP, ENDPOINT_ID,
                    Option.value("url", "URL", null), Option.value("event-types", "TYPES", null),
                    Option.value("enabled", "true|false", "enabling clears the failing mark"),
                    Option.value("description", "TEXT", null), WEBHOOKS_TABLE)),
            new Command("rotate-webhook-secret", "A new signing secret (printed once); the old one signs beside it for the overlap.",
                    List.of(APP, ENDPOINT_ID, Option.value("overlap-hours", "N", "0 to 168 (default 24)"), WEBHOOKS_TABLE)),
            new Command("delete-webhook", "Removes an endpoint.", List.of(APP, ENDPOINT_ID, WEBHOOKS_TABLE)),
            new Command("webhook-deliveries", "The endpoint's recent deliveries: status, attempts, last error.", List.of(APP, ENDPOINT_ID,
                    Option.value("limit", "N", "1 to 100 (default 50)"), WEBHOOKS_TABLE)),
            new Command("resend-webhook", "Queues one delivery's event to the endpoint again (same webhook-id).", List.of(APP, ENDPOINT_ID,
                    Option.required("delivery-id", "ID", "a delivery's id as webhook-deliveries lists it"),
                    Option.value("queue-url", "URL", "default: $WEBHOOK_QUEUE_URL (a stack's WebhookQueueUrl output)"), WEBHOOKS_TABLE)),
            new Command("replay-webhooks", "Queues every event of a window (30 days at most) the endpoint subscribes to.", List.of(APP,
                    ENDPOINT_ID, Option.required("since", "INSTANT", "e.g. 2026-12-01T00:00:00Z"),
                    Option.value("until", "INSTANT", "default: now"),
                    Option.value("queue-url", "URL", "default: $WEBHOOK_QUEUE_URL (a stack's WebhookQueueUrl output)"), WEBHOOKS_TABLE)));

    static String version() {
        Properties properties = new Properties();
        try (InputStream in = OperatorCli.class.getResourceAsStream("/userhub-operator.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException unreadable) {
            // the version is informational: an unreadable resource leaves it unknown
        }
        return "userhub-operator " + properties.getProperty("version", "unknown");
    }

    static CommandLine commandLine() {
        CommandSpec root = CommandSpec.create().name("userhub-operator").mixinStandardHelpOptions(true).version(version());
        root.usageMessage().description(
                "Manages userhub's apps, keys, settings and users in the DynamoDB tables of a stack (or of ./run-local).",
                "Prints JSON; secrets appear once, in the output of the command that creates them.")
                .footerHeading("%nExit codes:%n")
                .footer("  0  done", "  1  refused: userhub said no (an unknown app, an invalid value, ...)",
                        "  2  usage: an unknown command or option, a missing or repeated option",
                        "  3  AWS: credentials, region, table or endpoint");
        root.addOption(flag("json", "errors as one JSON line on stderr"));
        for (Command command : java.util.stream.Stream.concat(COMMANDS.stream(), WEBHOOK_COMMANDS.stream()).toList()) {
            CommandSpec sub = CommandSpec.create().name(command.name()).mixinStandardHelpOptions(true).version(version());
            sub.usageMessage().description(command.description()).sortOptions(false);
            for (Option option : command.options()) {
                sub.addOption(spec(option));
            }
            for (Option option : COMMON) {
                sub.addOption(spec(option));
            }
            root.addSubcommand(command.name(), sub);
        }
        CommandLine cli = new CommandLine(root);
        cli.setOverwrittenOptionsAllowed(false);
        cli.setUnmatchedArgumentsAllowed(false);
        return cli;
    }

    private static OptionSpec spec(Option option) {
        String description = option.description() == null ? "" : option.description();
        return switch (option.kind()) {
            case FLAG -> flag(option.name(), description);
            case VALUE -> OptionSpec.builder("--" + option.name()).paramLabel(option.label()).type(String.class).arity("1")
                    .required(option.required()).description(description).build();
            case REPEATED -> OptionSpec.builder("--" + option.name()).paramLabel(option.label()).type(String[].class).arity("1")
                    .description(description).build();
        };
    }

    private static OptionSpec flag(String name, String description) {
        return OptionSpec.builder("--" + name).type(boolean.class).arity("0").description(description).build();
    }

    static UsageMessageSpec usage(CommandLine cli) {
        return cli.getCommandSpec().usageMessage();
    }
}
