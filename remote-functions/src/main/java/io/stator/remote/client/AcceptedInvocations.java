package io.stator.remote.client;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * Numbers the invocations a dispatcher accepts and, once asked, remembers the ones accepted since it was last
 * asked. A snapshot then records only what arrived since the previous one, instead of the whole backlog: with a
 * remote function that lags, the backlog is ten times what arrives in an interval, and re-encoding it every
 * snapshot was a fifth of the CPU.
 *
 * <p>Nothing is remembered until the first {@link #take()}, so a runtime that never snapshots keeps nothing; and
 * a record that grows past {@link #MAX_RECORDED} (snapshots stalled) is dropped, and the next take says so. An
 * invocation is remembered as a reference and its key group in two arrays: nothing is allocated per invocation
 * on the partition thread. Partition thread only.
 */
final class AcceptedInvocations {
    /**
     * The most invocations remembered between two takes; past it, the record is dropped. About 25 MiB with the
     * invocations it keeps alive, and at W2's rate (~35k a second a partition) seven seconds without a snapshot.
     */
    static final int MAX_RECORDED = 1 << 18;
    private static final int INITIAL_CAPACITY = 1024;

    private long nextSequence;
    /** Whether a record is being kept: from the first take on, until it outgrows {@link #MAX_RECORDED}. */
    private boolean recording;
    private RemoteInvocation[] invocations = new RemoteInvocation[0];
    private int[] keyGroups = new int[0];
    private int size;

    /** @return a new invocation with the next sequence number, remembered if a record is being kept */
    RemoteInvocation accept(int keyGroup, Address target, Address caller, TypeName type, byte[] value) {
        RemoteInvocation invocation = new RemoteInvocation(target, caller, type, value, nextSequence++);
        if (recording) {
            if (size == MAX_RECORDED) {
                recording = false; // snapshots have stopped asking; keep nothing until they do again
                startRecord(0);
            } else {
                if (size == invocations.length) {
                    int capacity = Math.min(MAX_RECORDED, Math.max(INITIAL_CAPACITY, size * 2));
                    invocations = Arrays.copyOf(invocations, capacity);
                    keyGroups = Arrays.copyOf(keyGroups, capacity);
                }
                invocations[size] = invocation;
                keyGroups[size] = keyGroup;
                size++;
            }
        }
        return invocation;
    }

    /**
     * Ends the current record and starts the next.
     *
     * @return every invocation accepted since the previous take, oldest first, each with its key group (made as
     *     the list is read, on the reader's thread); null if that is not known (the first take, or the record was
     *     dropped), and the caller must then list the whole backlog
     */
    List<PendingRemoteInvocation> take() {
        List<PendingRemoteInvocation> taken = recording ? new Taken(invocations, keyGroups, size) : null;
        recording = true;
        startRecord(size); // about as many as last time: the arrays grow at most once in a steady flow
        return taken;
    }

    private void startRecord(int expected) {
        int capacity = Math.min(MAX_RECORDED, Math.max(INITIAL_CAPACITY, expected + expected / 4));
        invocations = new RemoteInvocation[recording ? capacity : 0];
        keyGroups = new int[recording ? capacity : 0];
        size = 0;
    }

    /** A record handed over: immutable, read by one thread at a time after a safe hand-over. */
    private static final class Taken extends AbstractList<PendingRemoteInvocation> {
        private final RemoteInvocation[] invocations;
        private final int[] keyGroups;
        private final int size;

        Taken(RemoteInvocation[] invocations, int[] keyGroups, int size) {
            this.invocations = invocations;
            this.keyGroups = keyGroups;
            this.size = size;
        }

        @Override
        public PendingRemoteInvocation get(int index) {
            java.util.Objects.checkIndex(index, size);
            return new PendingRemoteInvocation(keyGroups[index], invocations[index]);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
