package io.userhub.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so that 24-hour windows and expiries are exact. */
public final class MutableClock extends Clock {
    /**
     * Where tests' clocks start: the current hour of the real clock, never a fixed date. DynamoDB
     * Local deletes items whose TTL attribute is past on the real clock, so a fixed start date
     * turns into a time bomb: a week later, sessions vanish in the middle of a test.
     */
    public static final Instant TEST_START = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** A clock at {@link #TEST_START}. */
    public static MutableClock atTestStart() {
        return new MutableClock(TEST_START);
    }

    public static MutableClock at(Instant start) {
        return new MutableClock(start);
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
