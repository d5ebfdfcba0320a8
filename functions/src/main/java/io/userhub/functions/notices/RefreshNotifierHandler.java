package io.userhub.functions.notices;

import io.userhub.shared.config.Wiring;
import io.userhub.shared.notice.NoticeKind;
import io.userhub.shared.notice.NoticePublisher;

/** Every minute: sessions whose refresh time has come get a refreshUserCredentials notice. */
public final class RefreshNotifierHandler extends NotifierHandler {

    public RefreshNotifierHandler() {
        this(Wiring.lambda(), Wiring.lambdaNoticePublisher(), Wiring.lambdaNotifierMaxSessions());
    }

    public RefreshNotifierHandler(Wiring wiring, NoticePublisher publisher) {
        this(wiring, publisher, 2000);
    }

    public RefreshNotifierHandler(Wiring wiring, NoticePublisher publisher, int maxSessions) {
        super(NoticeKind.REFRESH, wiring, publisher, maxSessions);
    }
}
