package io.userhub.shared.observability;

import io.userhub.shared.notice.Notice;
import io.userhub.shared.notice.NoticePublisher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The local server's stand-in for EventBridge: each notice becomes a log line. */
public final class LoggingNoticePublisher implements NoticePublisher {
    private final Consumer<String> log;

    public LoggingNoticePublisher(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public List<Boolean> publish(List<Notice> notices) {
        List<Boolean> accepted = new ArrayList<>();
        for (Notice notice : notices) {
            var line = io.userhub.shared.observability.JsonLog.line("INFO", "notice");
            line.put("type", notice.kind().eventName());
            line.set("detail", io.userhub.shared.json.Json.parseObject(notice.detail())
                    .orElseThrow());
            log.accept(io.userhub.shared.json.Json.write(line));
            accepted.add(true);
        }
        return accepted;
    }
}
