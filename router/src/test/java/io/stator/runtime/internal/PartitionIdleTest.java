package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PartitionIdle}: a wake ends a long park (here an hour, so a wake that did not would hang the test). */
@Timeout(30)
class PartitionIdleTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void aWakeEndsALongPark() throws Exception {
        PartitionIdle idle = new PartitionIdle(HOUR, HOUR, HOUR);
        AtomicInteger parks = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread partition = new Thread(() -> {
            while (!stop.get()) {
                idle.idle(0);
                parks.incrementAndGet();
            }
        });
        partition.start();
        for (int round = 1; round <= 5; round++) {
            awaitParked(partition);
            idle.wake();
            while (parks.get() < round) {
                Thread.onSpinWait();
            }
            assertEquals(round, parks.get(), "one wake, one park ended");
        }
        stop.set(true);
        awaitParked(partition);
        idle.wake();
        partition.join();
    }

    @Test
    void parksMustBeOrdered() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionIdle(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PartitionIdle(10, 1, 5));
    }

    private static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }
}
