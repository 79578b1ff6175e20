package io.stator.runtime;

/**
 * The runtime's source of wall-clock time, in epoch milliseconds: delayed messages and state expiry read it.
 * Tests pass a {@link ManualClock} to move time by hand.
 */
@FunctionalInterface
public interface Clock {
    /** The system clock. */
    Clock SYSTEM = System::currentTimeMillis;

    /** @return the current time in epoch milliseconds */
    long millis();
}
