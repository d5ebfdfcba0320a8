package io.userhub.functions.notices;

import io.userhub.shared.config.Wiring;
import io.userhub.shared.notice.NoticeKind;
import io.userhub.shared.notice.NoticePublisher;

/** Every minute: sessions past their expiry are marked expired and get a userSessionExpired notice. */
public final class ExpiryNotifierHandler extends NotifierHandler {

    public ExpiryNotifierHandler() {
        this(Wiring.lambda(), Wiring.lambdaNoticePublisher(), Wiring.lambdaNotifierMaxSessions());
    }

    public ExpiryNotifierHandler(Wiring wiring, NoticePublisher publisher) {
        this(wiring, publisher, 2000);
    }

    public ExpiryNotifierHandler(Wiring wiring, NoticePublisher publisher, int maxSessions) {
        super(NoticeKind.EXPIRY, wiring, publisher, maxSessions);
    }
}
