package io.stator.remote.client;

import org.agrona.collections.LongHashSet;

/**
 * What a dispatcher's address channels hold, kept up to date as they change ({@link AddressChannel} reports each
 * change): the sequence of each channel's oldest held invocation, and how many invocations are held in all. A
 * snapshot's {@link RemoteDispatcher#backlogHeads()} then copies one primitive set instead of walking every
 * channel: with 200,000 addresses waiting for a slow function, that walk made most of a partition's snapshot
 * pause (median 15 ms against 6 ms now; benchmarks/RESULTS.md, "Session 22"). Partition thread only.
 */
final class HeldInvocations {
    /** A channel holding nothing has no head. */
    static final long NO_HEAD = Long.MIN_VALUE;

    private final LongHashSet heads = new LongHashSet();
    private long held;

    /** A channel's oldest held invocation changed from {@code before} to {@code after} (either may be NO_HEAD). */
    void headMoved(long before, long after) {
        if (before != NO_HEAD) {
            heads.remove(before);
        }
        if (after != NO_HEAD) {
            heads.add(after);
        }
    }

    /** {@code delta} invocations more (or fewer, if negative) are held. */
    void heldChanged(int delta) {
        held += delta;
    }

    /** @return the heads and the count now, copied */
    BacklogHeads copy() {
        long[] oldest = new long[heads.size()];
        LongHashSet.LongIterator it = heads.iterator();
        for (int i = 0; i < oldest.length; i++) {
            oldest[i] = it.nextValue();
        }
        return new BacklogHeads(oldest, held);
    }
}
