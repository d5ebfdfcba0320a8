package io.userhub.shared.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Refused logins, counted per app, reason and minute in the warm function, so that a flood of bad
 * tokens costs at most a couple of writes a minute instead of one per request. The first refusal of
 * a minute yields that minute's record (count 1); a later refusal yields, besides its own minute's
 * first record, the final count of every earlier minute that saw more than one, under the same id,
 * so the record is replaced in place. Counts of a function's last minute are lost if it is recycled
 * before another refusal: the records are exact up to that.
 */
public final class RefusalTally {
    private static final class Window {
        final long minute;
        final AuditRecord record;
        long count = 1;
        long written = 1;

        Window(long minute, AuditRecord record) {
            this.minute = minute;
            this.record = record;
        }
    }

    private final Map<String, Window> windows = new java.util.HashMap<>();

    /** The records to write for this refusal, often none. {@code details} say what was refused and why. */
    public synchronized List<AuditRecord> note(String appId, String domainId, Map<String, Object> details, Instant now) {
        long minute = now.getEpochSecond() / 60;
        String key = appId + "\u0000" + new TreeMap<>(details);
        List<AuditRecord> toWrite = new ArrayList<>();
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            if (window.minute < minute) {
                if (window.count > window.written) {
                    toWrite.add(window.record.withCount(window.count));
                }
                it.remove();
            }
        }
        Window current = windows.get(key);
        if (current != null) {
            current.count++;
        } else {
            Window opened = new Window(minute, AuditRecord.of(appId, domainId, AuditKind.LOGIN,
                    Instant.ofEpochSecond(minute * 60), null, details).withDetail("outcome", "refused"));
            windows.put(key, opened);
            toWrite.add(opened.record);
        }
        return toWrite;
    }
}
