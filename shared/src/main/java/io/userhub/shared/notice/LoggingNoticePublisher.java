package io.userhub.shared.notice;

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
            log.accept("notice " + notice.kind().eventName() + " " + EventBridgeNoticePublisher.detail(notice));
            accepted.add(true);
        }
        return accepted;
    }
}
