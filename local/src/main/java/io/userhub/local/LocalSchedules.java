package io.userhub.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.userhub.devkit.SamTemplate;
import io.userhub.shared.config.Wiring;
import io.userhub.shared.observability.LoggingNoticePublisher;
import io.userhub.shared.notice.NoticePublisher;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The template's scheduled functions, run locally on their rate (or faster, for trying things
 * out), with notices going to the log instead of EventBridge.
 */
public final class LocalSchedules implements AutoCloseable {

    public record Scheduled(String functionId, long periodSeconds, RequestHandler<Map<String, Object>, Map<String, Object>> handler) {}

    private final List<Scheduled> scheduled;
    private final ScheduledExecutorService executor;

    private LocalSchedules(List<Scheduled> scheduled, ScheduledExecutorService executor) {
        this.scheduled = scheduled;
        this.executor = executor;
    }

    static LocalSchedules fromTemplate(SamTemplate template, Wiring wiring, Consumer<String> log, long overrideSeconds) {
        List<Scheduled> scheduled = new ArrayList<>();
        NoticePublisher publisher = wiring.withWebhookNotices(new LoggingNoticePublisher(log));
        for (SamTemplate.Function function : template.functions()) {
            for (String expression : function.schedules()) {
                long period = overrideSeconds > 0 ? overrideSeconds : SamTemplate.rateSeconds(expression);
                scheduled.add(new Scheduled(function.logicalId(), period, instantiate(function.handlerClass(), wiring, publisher)));
            }
        }
        if (overrideSeconds < 0 || scheduled.isEmpty()) {
            return new LocalSchedules(scheduled, null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "userhub-schedules");
            thread.setDaemon(true);
            return thread;
        });
        for (Scheduled s : scheduled) {
            executor.scheduleAtFixedRate(() -> {
                try {
                    // The handler logs its run as a JSON line with its metrics, as on Lambda.
                    s.handler().handleRequest(Map.of(), null);
                } catch (RuntimeException e) {
                    var line = io.userhub.shared.observability.JsonLog.line("ERROR", "scheduled run failed");
                    line.put("function", s.functionId()).put("exception", e.getClass().getName());
                    log.accept(io.userhub.shared.json.Json.write(line));
                }
            }, s.periodSeconds(), s.periodSeconds(), TimeUnit.SECONDS);
        }
        return new LocalSchedules(scheduled, executor);
    }

    public List<Scheduled> scheduled() {
        return List.copyOf(scheduled);
    }

    /** Runs every scheduled function once, now (tests, and the impatient). */
    public void runAllOnce() {
        scheduled.forEach(s -> s.handler().handleRequest(Map.of(), null));
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<Map<String, Object>, Map<String, Object>> instantiate(String className, Wiring wiring, NoticePublisher publisher) {
        try {
            Class<?> type = Class.forName(className);
            for (Constructor<?> constructor : type.getConstructors()) {
                Class<?>[] parameters = constructor.getParameterTypes();
                if (parameters.length == 2 && parameters[0] == Wiring.class && parameters[1] == NoticePublisher.class) {
                    return (RequestHandler<Map<String, Object>, Map<String, Object>>) constructor.newInstance(wiring, publisher);
                }
            }
            throw new IllegalStateException(className + " has no (Wiring, NoticePublisher) constructor");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate scheduled handler " + className, e);
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
