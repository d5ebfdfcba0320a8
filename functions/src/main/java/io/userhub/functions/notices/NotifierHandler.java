package io.userhub.functions.notices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.json.Json;
import io.userhub.shared.observability.JsonLog;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userhub.shared.notice.NoticeKind;
import io.userhub.shared.notice.NoticePublisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduled edge of a notifier: build the run's budget from the Lambda context, run, log a
 * summary. The EventBridge schedule's event is read as a plain map: its content is not used, and
 * the events library's {@code ScheduledEvent} needs joda-time, which the Lambda artifact leaves out.
 */
abstract class NotifierHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop taking new sessions this long before the Lambda timeout. */
    private static final long SAFETY_MARGIN_MILLIS = 10_000;
    private static final long DEFAULT_RUN_MILLIS = 50_000;

    private final NoticeSweep sweep;
    private final NoticeKind kind;
    private final int maxSessions;

    NotifierHandler(NoticeKind kind, Wiring wiring, NoticePublisher publisher, int maxSessions) {
        this.kind = kind;
        this.maxSessions = maxSessions;
        this.sweep = io.userhub.functions.UseCases.of(wiring).noticeSweep(publisher);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long deadline = System.nanoTime() + 1_000_000L * (context == null
                ? DEFAULT_RUN_MILLIS
                : Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MILLIS));
        NoticeSweep.Report report = sweep.run(kind, maxSessions, () -> System.nanoTime() < deadline);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("kind", kind.eventName());
        summary.put("examined", report.examined());
        summary.put("notified", report.notified());
        summary.put("claimed_elsewhere", report.claimedElsewhere());
        summary.put("publish_failed", report.publishFailed());
        summary.put("cut_short", report.cutShort());
        ObjectNode line = JsonLog.line(report.publishFailed() > 0 ? "WARN" : "INFO", "notifier run");
        line.put("Kind", kind.eventName());
        line.set("summary", Json.MAPPER.valueToTree(summary));
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("NoticesPublished", report.notified());
        metrics.put("NoticesFailed", report.publishFailed());
        JsonLog.emit(JsonLog.withMetrics(line, metrics, Map.of(), new String[] {"Kind"}));
        return summary;
    }
}
