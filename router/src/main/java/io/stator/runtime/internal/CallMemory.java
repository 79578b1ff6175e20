package io.stator.runtime.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * Tells an {@link OutOfMemoryError} that one function call brought on itself (an allocation larger than the heap
 * can give, say a state value of hundreds of MiB) from a heap that is full. The first is that call's failure: its
 * message goes to the dead letters and the partition goes on. Ending the partition instead would not help: the
 * message would run again after the restart, and fail again, for ever.
 */
final class CallMemory {
    /** The share of the heap that must be free after a full collection for the call to be at fault. */
    static final double MIN_FREE_SHARE = 0.25;

    private CallMemory() {
    }

    /**
     * Collects the heap (an explicit full collection: only after an out-of-memory error) and looks at what is free.
     *
     * @return the call's failure, if at least {@link #MIN_FREE_SHARE} of the heap is free now; else null (the
     *     runtime itself is out of memory)
     */
    static RuntimeException callsOwnFault(OutOfMemoryError error) {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory();
        long free = max - heap.getUsed();
        if (free < max * MIN_FREE_SHARE) {
            return null;
        }
        return new IllegalStateException("the call ran out of memory (" + error.getMessage() + "); after a full "
                + "collection " + (free >> 20) + " of the heap's " + (max >> 20) + " MiB were free, so the call was at "
                + "fault, not the runtime", error);
    }
}
