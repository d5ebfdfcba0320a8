package io.userhub.functions.rules;

import io.userhub.functions.UseCases;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.http.ApiHandler;
import io.userhub.shared.http.HttpRequest;
import io.userhub.shared.json.Json;
import io.userhub.shared.http.Responses;
import io.userhub.shared.model.AppConfig;
import io.userhub.functions.users.UserRoutes;

import java.time.Clock;
import java.util.List;

/**
 * {@code POST /v1/apps/{appId}/rules:dry-run}: what proposed identity-resolution rules would do to
 * sample logins (moves, conflicts, refusals), beside what the current rules do. Writes nothing.
 */
public final class RulesDryRunHandler extends ApiHandler {
    private final UserRoutes routes;
    private final Clock clock;
    private final RulesDryRunUseCase dryRun;

    public RulesDryRunHandler() {
        this(Wiring.lambda());
    }

    public RulesDryRunHandler(Wiring wiring) {
        this.routes = new UserRoutes(wiring);
        this.clock = wiring.clock();
        this.dryRun = UseCases.of(wiring).rulesDryRun();
    }

    @Override
    protected String failureFamily() {
        return "RULES_DRY_RUN_FAILED";
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(HttpRequest request) {
        AppConfig app = routes.authenticate(request);
        return Responses.ok(run(dryRun, app, request.jsonBody(), clock.instant().getEpochSecond()));
    }

    /** Parse, run, render: the route's whole work, which the operator's rules-dry-run shares. */
    public static ObjectNode run(RulesDryRunUseCase dryRun, AppConfig app, ObjectNode body, long now) {
        RulesDryRunRequests.Parsed parsed = RulesDryRunRequests.parse(body, now);
        RulesDryRunUseCase.RuleSet proposed = dryRun.proposed(app, parsed.rules());
        return render(proposed, dryRun.run(app, proposed, parsed.samples()));
    }

    public static ObjectNode render(RulesDryRunUseCase.RuleSet proposed, List<RulesDryRunUseCase.Result> results) {
        ObjectNode body = Json.object();
        ObjectNode rules = body.putObject("proposed_rules");
        rules.set("sticky", Json.MAPPER.valueToTree(new java.util.TreeSet<>(proposed.rules().sticky())));
        rules.set("identifier_limits", Json.MAPPER.valueToTree(new java.util.TreeMap<>(proposed.rules().limits())));
        rules.set("priority", Json.MAPPER.valueToTree(proposed.rules().priority()));
        rules.set("blocked_values", Json.MAPPER.valueToTree(proposed.blockedValues()));
        ArrayNode array = body.putArray("results");
        int[] changed = {0};
        ObjectNode summary = body.putObject("summary");
        ObjectNode currentTotals = Json.object();
        ObjectNode proposedTotals = Json.object();
        for (int i = 0; i < results.size(); i++) {
            RulesDryRunUseCase.Result result = results.get(i);
            ObjectNode node = array.addObject().put("sample", i).put("changed", result.changed());
            render(node.putObject("current"), result.current(), currentTotals);
            render(node.putObject("proposed"), result.proposed(), proposedTotals);
            if (result.changed()) {
                changed[0]++;
            }
        }
        summary.put("samples", results.size()).put("changed", changed[0]);
        summary.set("current", currentTotals);
        summary.set("proposed", proposedTotals);
        return body;
    }

    private static void render(ObjectNode node, RulesDryRunUseCase.Outcome outcome, ObjectNode totals) {
        for (String total : List.of("new_users", "existing_users", "moves", "conflicts", "refused")) {
            if (!totals.has(total)) {
                totals.put(total, 0);
            }
        }
        if (outcome.refusal() != null) {
            node.put("outcome", "refused").put("reason", outcome.refusal().reason().name());
            if (!outcome.refusal().errors().isEmpty()) {
                node.set("errors", Json.MAPPER.valueToTree(outcome.refusal().errors()));
            }
            if (!outcome.refusal().details().isEmpty()) {
                node.set("details", Json.MAPPER.valueToTree(outcome.refusal().details()));
            }
            totals.put("refused", totals.get("refused").asInt() + 1);
            return;
        }
        node.put("outcome", outcome.newUser() ? "new_user" : "existing_user");
        if (outcome.newUser()) {
            node.putNull("user_id");
            totals.put("new_users", totals.get("new_users").asInt() + 1);
        } else {
            node.put("user_id", outcome.userId());
            totals.put("existing_users", totals.get("existing_users").asInt() + 1);
        }
        ArrayNode moves = node.putArray("moves");
        outcome.moves().forEach(m -> moves.addObject().put("identifier", m.identity().identifier()).put("from_user_id", m.from().userId()));
        ArrayNode conflicts = node.putArray("conflicts");
        outcome.conflicts().forEach(c -> conflicts.addObject().put("identifier", c.identity().identifier()).put("owner_user_id", c.ownerUserId()));
        totals.put("moves", totals.get("moves").asInt() + outcome.moves().size());
        totals.put("conflicts", totals.get("conflicts").asInt() + outcome.conflicts().size());
    }
}
