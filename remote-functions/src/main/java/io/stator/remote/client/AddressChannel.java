package io.stator.remote.client;

import io.stator.sdk.Address;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The dispatcher's record of one address with work: at most one batch in flight, and the invocations that
 * arrived meanwhile, in order. An address with nothing in flight and nothing queued has no channel at all, so
 * memory follows the number of busy addresses.
 *
 * <pre>
 *            invoke, a call slot is free
 *   (none) -----------------------------> IN_FLIGHT(batch of 1) <--------------------------------+
 *     |                                     |  ^    |  invoke: backlog += 1 (stays IN_FLIGHT)     |
 *     | invoke, every call slot taken       |  |    |                                             |
 *     v                                     |  +-- missing state: same batch re-sent             |
 *   WAITING(backlog) <----------------------+ reply applied / batch dead-lettered, backlog left  |
 *     |  invoke: backlog += 1                 (backlog empty: channel removed)                    |
 *     +---- a call slot frees: the whole backlog (up to maxNumBatchRequests) goes as one batch ----+
 * </pre>
 *
 * A WAITING channel has no request yet: its batch is taken from the backlog, and encoded with the state of that
 * moment, only when it gets a call slot. So the longer it waits, the more invocations its batch carries.
 *
 * Partition thread only.
 */
final class AddressChannel {
    final Address address;
    final int keyGroup;
    /** Where the next batch goes; re-resolved between batches, so a replaced endpoint takes over. */
    ResolvedEndpoint endpoint;
    /** Whether the backlog is at the endpoint's {@code maxNumBatchRequests} (counted in the dispatcher). */
    boolean saturated;
    private final ArrayDeque<RemoteInvocation> backlog = new ArrayDeque<>();
    private InFlightBatch inFlight;
    /** Told of every change to what this channel holds. */
    private final HeldInvocations index;
    /** The sequence of the oldest invocation held, as last told to {@link #index}. */
    private long head = HeldInvocations.NO_HEAD;

    AddressChannel(Address address, int keyGroup, ResolvedEndpoint endpoint, HeldInvocations index) {
        this.address = address;
        this.keyGroup = keyGroup;
        this.endpoint = endpoint;
        this.index = index;
    }

    InFlightBatch inFlight() {
        return inFlight;
    }

    void inFlight(InFlightBatch batch) {
        index.heldChanged((batch == null ? 0 : batch.invocations.size())
                - (inFlight == null ? 0 : inFlight.invocations.size()));
        this.inFlight = batch;
        moveHead();
    }

    int backlogSize() {
        return backlog.size();
    }

    void enqueue(RemoteInvocation invocation) {
        backlog.addLast(invocation);
        index.heldChanged(1);
        moveHead();
    }

    /** @return up to {@code max} queued invocations, oldest first, removed from the backlog */
    List<RemoteInvocation> takeBatch(int max) {
        int n = Math.min(max, backlog.size());
        List<RemoteInvocation> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(backlog.pollFirst());
        }
        index.heldChanged(-n);
        moveHead();
        return batch;
    }

    /** Tells the index where this channel's held invocations start now. */
    private void moveHead() {
        RemoteInvocation first = oldestHeld();
        long now = first == null ? HeldInvocations.NO_HEAD : first.sequence();
        if (now != head) {
            index.headMoved(head, now);
            head = now;
        }
    }

    /** @return the oldest invocation held (the first of the batch in flight, else of the backlog), or null */
    RemoteInvocation oldestHeld() {
        if (inFlight != null && !inFlight.invocations.isEmpty()) {
            return inFlight.invocations.get(0);
        }
        return backlog.peekFirst();
    }

    /** @return how many invocations are held: in flight and queued */
    int heldCount() {
        return (inFlight == null ? 0 : inFlight.invocations.size()) + backlog.size();
    }

    /** @return a copy of the invocations held: those of the batch in flight, then the queued ones, oldest first */
    RemoteInvocation[] heldInvocations() {
        List<RemoteInvocation> sent = inFlight == null ? List.of() : inFlight.invocations;
        RemoteInvocation[] held = new RemoteInvocation[sent.size() + backlog.size()];
        int i = 0;
        for (RemoteInvocation invocation : sent) {
            held[i++] = invocation;
        }
        for (RemoteInvocation invocation : backlog) {
            held[i++] = invocation;
        }
        return held;
    }
}
