package io.stator.runtime;

import java.time.Duration;

/** A {@link Clock} that moves only when told to: virtual time for tests. Thread-safe. */
public final class ManualClock implements Clock {
    private volatile long now;

    /** @param startMillis the initial time in epoch milliseconds */
    public ManualClock(long startMillis) {
        this.now = startMillis;
    }

    @Override
    public long millis() {
        return now;
    }

    /** Moves time forward. */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot move time backwards: " + duration);
        }
        now += duration.toMillis();
    }
}
