package io.userhub.shared.notice;

import java.util.List;

/** Publishes notices; returns, for each notice in order, whether it was accepted. */
public interface NoticePublisher {
    List<Boolean> publish(List<Notice> notices);
}
