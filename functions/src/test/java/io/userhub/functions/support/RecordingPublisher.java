package io.userhub.functions.support;

import io.userhub.shared.notice.Notice;
import io.userhub.shared.notice.NoticePublisher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A publisher for notifier tests that records what it accepts and can be told to refuse
 * (a failing EventBridge). Publishing itself is tested against an emulator in EventBridgeMotoIT.
 */
public final class RecordingPublisher implements NoticePublisher {
    public final List<Notice> published = new CopyOnWriteArrayList<>();
    /** How many publish calls (PutEvents requests, on EventBridge) were made. */
    public final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Predicate<Notice> refuse = n -> false;
    private volatile Runnable beforePublish = () -> { };

    public void refuseWhen(Predicate<Notice> predicate) {
        this.refuse = predicate;
    }

    public void beforePublish(Runnable hook) {
        this.beforePublish = hook;
    }

    @Override
    public List<Boolean> publish(List<Notice> notices) {
        calls.incrementAndGet();
        beforePublish.run();
        List<Boolean> accepted = new ArrayList<>();
        for (Notice notice : notices) {
            boolean ok = !refuse.test(notice);
            if (ok) {
                published.add(notice);
            }
            accepted.add(ok);
        }
        return Collections.unmodifiableList(accepted);
    }
}
