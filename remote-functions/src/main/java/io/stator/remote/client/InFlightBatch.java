package io.stator.remote.client;

import java.util.List;

/**
 * One batch sent to an address and not yet answered. The HTTP side only carries the reference back in its
 * {@link Completion}; every field is read and written by the partition thread.
 */
final class InFlightBatch {
    final AddressChannel channel;
    final List<RemoteInvocation> invocations;
    /** How many IncompleteInvocationContext replies this batch has had; bounds a function that never settles. */
    int stateRoundTrips;
    /** How many of the function type's known states the last request carried (the first n in learning order). */
    int statesSent;
    HttpBatchCall call;
    /** When the batch was first sent (System.nanoTime), for the per-type reply latency. */
    long startedNanos;

    InFlightBatch(AddressChannel channel, List<RemoteInvocation> invocations) {
        this.channel = channel;
        this.invocations = List.copyOf(invocations);
    }
}
