package io.userhub.functions;

import io.userhub.functions.attributes.AttributesUseCase;
import io.userhub.functions.audit.AuditUseCase;
import io.userhub.functions.identities.AddIdentitiesUseCase;
import io.userhub.functions.login.LoginUseCase;
import io.userhub.functions.logout.LogoutUseCase;
import io.userhub.functions.mint.MintUseCase;
import io.userhub.functions.rules.RulesDryRunUseCase;
import io.userhub.functions.session.RevokeSessionsUseCase;
import io.userhub.functions.users.ImportUsersUseCase;
import io.userhub.functions.users.UnmergeUseCase;
import io.userhub.functions.users.UserAdminUseCase;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.store.AppStore;
import io.userhub.shared.store.AttributeStore;
import io.userhub.shared.store.DynamoLoginStore;
import io.userhub.shared.store.DynamoMergeLineages;
import io.userhub.shared.store.SessionStore;
import io.userhub.shared.store.UserStore;

/**
 * Where the use cases are put together: each gets its collaborators (DynamoDB adapters of its
 * ports, the clock, the event subscribers) through its constructor, built here from a runtime's
 * {@link Wiring}. Handlers, the local server and the operator ask this class; no use case builds
 * a store or reads the environment itself.
 */
public final class UseCases {
    private final Wiring wiring;

    private UseCases(Wiring wiring) {
        this.wiring = wiring;
    }

    public static UseCases of(Wiring wiring) {
        return new UseCases(wiring);
    }

    private UserStore users() {
        return new UserStore(wiring.dynamo(), wiring.tables().users());
    }

    private SessionStore sessions() {
        return new SessionStore(wiring.dynamo(), wiring.tables().sessions());
    }

    private DynamoLoginStore logins() {
        return new DynamoLoginStore(wiring.dynamo(), users(), sessions(), wiring.auditTrail(), wiring.webhookOutboxItems());
    }

    private AttributeStore attributeStore() {
        return new AttributeStore(wiring.dynamo(), wiring.tables().users());
    }

    /** The notifiers' sweep of the due sessions, publishing to {@code publisher}. */
    public io.userhub.functions.notices.NoticeSweep noticeSweep(io.userhub.shared.notice.NoticePublisher publisher) {
        return new io.userhub.functions.notices.NoticeSweep(sessions(), publisher, wiring.clock(), wiring.parallel());
    }

    /** Profiles as the session route shows them beside the session. */
    public io.userhub.shared.port.ProfileReads profileReads() {
        return users();
    }

    public LoginUseCase login() {
        return new LoginUseCase(wiring.apps(), logins(), wiring.clock(), wiring.parallel(), wiring.events(), attributeStore());
    }

    public AddIdentitiesUseCase addIdentities() {
        return new AddIdentitiesUseCase(logins(), wiring.clock(), wiring.parallel(), wiring.events());
    }

    public AttributesUseCase attributes() {
        return new AttributesUseCase(attributeStore(), wiring.clock());
    }

    public LogoutUseCase logout() {
        return new LogoutUseCase(wiring.sessionAccess(), wiring.events());
    }

    public MintUseCase mint() {
        return new MintUseCase(wiring.apps(), wiring.clock());
    }

    public UserAdminUseCase userAdmin() {
        return new UserAdminUseCase(users(), sessions(), wiring.auditTrail(), wiring.events(), wiring.clock(),
                wiring.erasedIdentityRetention());
    }

    public ImportUsersUseCase importUsers() {
        return new ImportUsersUseCase(users(), wiring.clock(), io.userhub.shared.config.RequestDeadline.carrying(ImportWorkers.POOL));
    }

    public UnmergeUseCase unmerge() {
        return new UnmergeUseCase(new DynamoMergeLineages(wiring.dynamo(), users(), wiring.auditRetention(), wiring.webhookOutboxItems()),
                wiring.clock(), wiring.events());
    }

    public AuditUseCase audit() {
        return new AuditUseCase(wiring.auditTrail(), wiring.clock(), wiring.parallel());
    }

    public RevokeSessionsUseCase revokeSessions() {
        return new RevokeSessionsUseCase(new AppStore(wiring.dynamo(), wiring.tables().apps()), wiring.events(), wiring.clock());
    }

    public RulesDryRunUseCase rulesDryRun() {
        return new RulesDryRunUseCase(users());
    }

    /** Rows are written by 8 workers (the work waits on DynamoDB, it does not compute), made on the first import only. */
    private static final class ImportWorkers {
        static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "userhub-import");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The endpoint routes' and the operator's use case; resends and replays go to {@code queue}. */
    public io.userhub.functions.webhooks.WebhookEndpointsUseCase webhookEndpoints(io.userhub.shared.port.DeliveryQueue queue,
                                                                                   boolean localUse) {
        return new io.userhub.functions.webhooks.WebhookEndpointsUseCase(wiring.apps(), wiring.webhooks(), wiring.webhooks(),
                wiring.webhooks(), queue,
                wiring.events(), wiring.clock(), io.userhub.shared.outbound.OutboundUrls.SYSTEM, localUse);
    }

    public io.userhub.functions.webhooks.FanOutUseCase webhookFanOut(io.userhub.shared.port.DeliveryQueue queue) {
        return new io.userhub.functions.webhooks.FanOutUseCase(wiring.webhooks(), queue);
    }

    public io.userhub.functions.webhooks.DeliverUseCase webhookDelivery(io.userhub.shared.port.DeliveryQueue queue,
                                                                       io.userhub.shared.port.WebhookTransport transport, double backoffScale) {
        return new io.userhub.functions.webhooks.DeliverUseCase(wiring.webhooks(), wiring.webhooks(), queue, transport, wiring.events(),
                wiring.clock(), backoffScale);
    }
}
