package io.stator.remote.client;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers the invocations a dispatcher accepts and, once asked, remembers the ones accepted since it was last
 * asked. A snapshot then records only what arrived since the previous one, instead of the whole backlog: with a
 * remote function that lags, the backlog is ten times what arrives in an interval, and re-encoding it every
 * snapshot was a fifth of the CPU.
 *
 * <p>Nothing is remembered until the first {@link #take()}, so a runtime that never snapshots keeps nothing; and
 * a record that grows past {@link #MAX_RECORDED} (snapshots stalled) is dropped, and the next take says so.
 * Partition thread only.
 */
final class AcceptedInvocations {
    /**
     * The most invocations remembered between two takes; past it, the record is dropped. About 25 MiB with the
     * invocations it keeps alive, and at W2's rate (~35k a second a partition) seven seconds without a snapshot.
     */
    static final int MAX_RECORDED = 1 << 18;

    private long nextSequence;
    private boolean recording;
    private boolean complete;
    private ArrayList<PendingRemoteInvocation> recorded = new ArrayList<>();

    /** @return a new invocation with the next sequence number, remembered if a record is being kept */
    RemoteInvocation accept(int keyGroup, Address target, Address caller, TypeName type, byte[] value) {
        RemoteInvocation invocation = new RemoteInvocation(target, caller, type, value, nextSequence++);
        if (recording) {
            if (recorded.size() == MAX_RECORDED) {
                recorded = new ArrayList<>();
                recording = false; // snapshots have stopped asking; keep nothing until they do again
                complete = false;
            } else {
                recorded.add(new PendingRemoteInvocation(keyGroup, invocation));
            }
        }
        return invocation;
    }

    /**
     * Ends the current record and starts the next.
     *
     * @return every invocation accepted since the previous take, oldest first; null if that is not known (the
     *     first take, or the record was dropped), and the caller must then list the whole backlog
     */
    List<PendingRemoteInvocation> take() {
        List<PendingRemoteInvocation> taken = complete ? recorded : null;
        recorded = new ArrayList<>();
        recording = true;
        complete = true;
        return taken;
    }
}
