package io.userhub.shared.config;

import io.userhub.shared.store.AppDirectory;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.store.Tables;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The collaborators every handler shares, built once per function instance (so SnapStart
 * snapshots them). Lambda uses {@link #fromEnvironment}; tests and the local server pass their own.
 * {@code events} receives every use case's domain events: the audit writer, one per runtime.
 * {@code erasedIdentityRetention}: how long an erase keeps the digests of the identities it released.
 */
public record Wiring(DynamoDbClient dynamo, Tables tables, Clock clock, AppDirectory apps, ExecutorService parallel,
                     java.util.Set<String> corsAllowOrigins, Duration auditRetention, Duration erasedIdentityRetention,
                     io.userhub.shared.store.DynamoWebhooks webhooks, io.userhub.shared.event.EventSubscriber events) {

    public static final Duration DEFAULT_ERASED_IDENTITY_RETENTION = Duration.ofDays(30);

    /** Every use case publishes to the subscribers through {@link io.userhub.shared.event.EventSubscriber#all}: none can fail an answer. */
    public Wiring {
        events = io.userhub.shared.event.EventSubscriber.all(java.util.List.of(events));
    }

    public Wiring(DynamoDbClient dynamo, Tables tables, Clock clock, AppDirectory apps, ExecutorService parallel,
                  java.util.Set<String> corsAllowOrigins, Duration auditRetention) {
        this(dynamo, tables, clock, apps, parallel, corsAllowOrigins, auditRetention, DEFAULT_ERASED_IDENTITY_RETENTION);
    }

    public Wiring(DynamoDbClient dynamo, Tables tables, Clock clock, AppDirectory apps, ExecutorService parallel,
                  java.util.Set<String> corsAllowOrigins, Duration auditRetention, Duration erasedIdentityRetention) {
        this(dynamo, tables, clock, apps, parallel, corsAllowOrigins, auditRetention, erasedIdentityRetention,
                new io.userhub.shared.store.DynamoWebhooks(dynamo, tables.webhooks(), io.userhub.shared.crypto.SecretSeal.NONE,
                        new AppStore(dynamo, tables.apps())));
    }

    /** The domain events' subscribers: the audit writer and the webhook outbox. */
    public Wiring(DynamoDbClient dynamo, Tables tables, Clock clock, AppDirectory apps, ExecutorService parallel,
                  java.util.Set<String> corsAllowOrigins, Duration auditRetention, Duration erasedIdentityRetention,
                  io.userhub.shared.store.DynamoWebhooks webhooks) {
        this(dynamo, tables, clock, apps, parallel, corsAllowOrigins, auditRetention, erasedIdentityRetention, webhooks,
                io.userhub.shared.event.EventSubscriber.all(List.of(
                        new io.userhub.shared.observability.ObservedSubscriber("audit", new io.userhub.shared.audit.AuditWriter(
                                new io.userhub.shared.store.AuditTrail(dynamo, tables.users(), auditRetention)::write, BackgroundWrites::submit)),
                        new io.userhub.shared.observability.ObservedSubscriber("webhook_outbox",
                                new io.userhub.shared.webhook.WebhookOutboxWriter(webhooks, apps, clock)))));
    }

    /** The same wiring with other subscribers of the domain events (a test's recorder beside the audit writer, say). */
    public Wiring withEvents(io.userhub.shared.event.EventSubscriber subscribers) {
        return new Wiring(dynamo, tables, clock, apps, parallel, corsAllowOrigins, auditRetention, erasedIdentityRetention, webhooks,
                subscribers);
    }

    /** The webhook events an outcome's transaction carries: those of the types some endpoint of the app subscribes to. */
    public io.userhub.shared.store.WebhookOutboxItems webhookOutboxItems() {
        return new io.userhub.shared.store.WebhookOutboxItems(tables.webhooks(), appId -> apps.require(appId).webhookTypes());
    }

    /** The notifiers' publisher with the notices' webhook events recorded beside what it publishes. */
    public io.userhub.shared.notice.NoticePublisher withWebhookNotices(io.userhub.shared.notice.NoticePublisher publisher) {
        return new io.userhub.shared.webhook.WebhookOutboxWriter(webhooks, apps, clock).besides(publisher);
    }

    public Wiring(DynamoDbClient dynamo, Tables tables, Clock clock, AppDirectory apps, ExecutorService parallel) {
        this(dynamo, tables, clock, apps, parallel, java.util.Set.of("*"));
    }

    public Wiring(DynamoDbClient dynamo, Tables tables, Clock clock, AppDirectory apps, ExecutorService parallel,
                  java.util.Set<String> corsAllowOrigins) {
        this(dynamo, tables, clock, apps, parallel, corsAllowOrigins, io.userhub.shared.store.AuditTrail.DEFAULT_RETENTION);
    }

    /** Session authentication for the client routes, on this runtime's sessions table. */
    public io.userhub.shared.session.SessionAccess sessionAccess() {
        return new io.userhub.shared.session.SessionAccess(apps, new io.userhub.shared.store.SessionStore(dynamo, tables.sessions()), clock);
    }

    /** The audit trail's table, with the retention this runtime was configured with. */
    public io.userhub.shared.store.AuditTrail auditTrail() {
        return new io.userhub.shared.store.AuditTrail(dynamo, tables.users(), auditRetention);
    }

    /** The stack's web origins as CORS_ALLOW_ORIGINS lists them ({@code *} when unset). */
    public static java.util.Set<String> corsAllowOrigins(Environment env) {
        return io.userhub.shared.http.Cors.origins(env.get(Environment.CORS_ALLOW_ORIGINS).orElse("*"));
    }

    public static Wiring fromEnvironment(Environment env, List<ExecutionInterceptor> interceptors) {
        DynamoDbClient dynamo = AwsClients.dynamo(env, interceptors);
        Duration appCache = Duration.ofSeconds(env.get(Environment.APP_CACHE_SECONDS).map(Long::parseLong).orElse(60L));
        Wiring wiring = of(dynamo, env.tables(), Clock.systemUTC(), appCache, AwsClients.secretSeal(env), env.localUse());
        return new Wiring(wiring.dynamo(), wiring.tables(), wiring.clock(), wiring.apps(), wiring.parallel(), corsAllowOrigins(env),
                env.auditRetention(), env.erasedIdentityRetention(), wiring.webhooks());
    }

    public static Wiring of(DynamoDbClient dynamo, Tables tables, Clock clock, Duration appCache) {
        return of(dynamo, tables, clock, appCache, io.userhub.shared.crypto.SecretSeal.NONE);
    }

    /** @param seal opens the apps' sealed signing secrets (once per secret and warm function) */
    public static Wiring of(DynamoDbClient dynamo, Tables tables, Clock clock, Duration appCache, io.userhub.shared.crypto.SecretSeal seal) {
        return of(dynamo, tables, clock, appCache, seal, true);
    }

    /** @param localUse the local server or a test: JWK Sets may be served on the loopback interface */
    public static Wiring of(DynamoDbClient dynamo, Tables tables, Clock clock, Duration appCache, io.userhub.shared.crypto.SecretSeal seal,
                            boolean localUse) {
        AppStore apps = new AppStore(dynamo, tables.apps(), seal);
        return new Wiring(dynamo, tables, clock,
                new AppDirectory(apps::find, new io.userhub.shared.store.KeyUses(dynamo, tables.users()),
                        BackgroundWrites::submit, clock, appCache, localUse),
                Executors.newFixedThreadPool(4, runnable -> {
                    Thread thread = new Thread(runnable, "userhub-io");
                    thread.setDaemon(true);
                    return thread;
                }), java.util.Set.of("*"), io.userhub.shared.store.AuditTrail.DEFAULT_RETENTION, DEFAULT_ERASED_IDENTITY_RETENTION,
                new io.userhub.shared.store.DynamoWebhooks(dynamo, tables.webhooks(), seal, apps));
    }

    /** The allowed browser origins of a function that needs nothing else (the fallback route). */
    public static java.util.Set<String> lambdaCorsAllowOrigins() {
        return corsAllowOrigins(Environment.system());
    }

    /** The notifiers' publisher: the function's EventBridge bus ({@code EVENT_BUS_NAME}), and the webhook outbox beside it. */
    public static io.userhub.shared.notice.NoticePublisher lambdaNoticePublisher() {
        Environment env = Environment.system();
        return lambda().withWebhookNotices(
                new io.userhub.shared.eventbridge.EventBridgeNoticePublisher(AwsClients.eventBridge(env), env.required("EVENT_BUS_NAME")));
    }

    /** The webhook engine's queue ({@code WEBHOOK_QUEUE_URL}, {@code WEBHOOK_DEAD_LETTER_QUEUE_URL}). */
    public static io.userhub.shared.sqs.SqsDeliveryQueue lambdaDeliveryQueue() {
        Environment env = Environment.system();
        return new io.userhub.shared.sqs.SqsDeliveryQueue(AwsClients.sqs(env), env.required(Environment.WEBHOOK_QUEUE_URL),
                env.required(Environment.WEBHOOK_DEAD_LETTER_QUEUE_URL));
    }

    /** How a delivery function sends: bounded, signed, to public addresses only (loopback too for local use). */
    public static io.userhub.shared.outbound.WebhookSender lambdaWebhookSender() {
        return new io.userhub.shared.outbound.WebhookSender(io.userhub.shared.outbound.OutboundUrls.SYSTEM, Environment.system().localUse(),
                Clock.systemUTC());
    }

    /** The retry waits' factor ({@code WEBHOOK_BACKOFF_SCALE}, 1 in production). */
    public static double lambdaWebhookBackoffScale() {
        return Environment.system().webhookBackoffScale();
    }

    /** How many sessions a notifier run takes at most ({@code NOTIFIER_MAX_SESSIONS}, default 2000). */
    public static int lambdaNotifierMaxSessions() {
        return Environment.system().get("NOTIFIER_MAX_SESSIONS").map(Integer::parseInt).orElse(2000);
    }

    /** One instance per Lambda container: handlers' no-argument constructors share it. */
    public static synchronized Wiring lambda() {
        if (lambdaWiring == null) {
            lambdaWiring = fromEnvironment(Environment.system(), List.of());
            SnapStartPriming.register(lambdaWiring);
        }
        return lambdaWiring;
    }

    private static Wiring lambdaWiring;
}
