package io.stator.support;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock for the logs that moves only when a test says so, so files roll without waiting. */
public final class ManualClock implements LongSupplier {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public long getAsLong() {
        return millis.get();
    }

    /** Moves the clock on. */
    public void advanceSeconds(long seconds) {
        millis.addAndGet(seconds * 1000);
    }
}
