package io.stator.runtime.internal;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.remote.client.RemoteInvocation;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's messages accepted but not finished at a snapshot, in restore order: the parked calls' messages,
 * then the remote invocations in flight or queued, then the local queue. The remote part can hold a hundred
 * thousand invocations, so it stays the dispatcher's cheap capture until first read, and its envelopes are made
 * then, on the reading thread (the snapshot coordinator's) instead of the partition's. Immutable once made; the
 * first read may come from any one thread at a time.
 */
final class PendingMessages extends AbstractList<Envelope> {
    private final List<Envelope> parked;
    private final List<PendingRemoteInvocation> remote;
    private final List<Envelope> local;
    private List<Envelope> elements;

    /**
     * @param parked already copied; owned by this list from now on
     * @param remote a capture that does not change afterwards
     * @param local  already copied; owned by this list from now on
     */
    PendingMessages(List<Envelope> parked, List<PendingRemoteInvocation> remote, List<Envelope> local) {
        this.parked = parked;
        this.remote = remote;
        this.local = local;
    }

    @Override
    public Envelope get(int index) {
        return elements().get(index);
    }

    @Override
    public int size() {
        return parked.size() + remote.size() + local.size();
    }

    private synchronized List<Envelope> elements() {
        if (elements == null) {
            List<Envelope> made = new ArrayList<>(size());
            made.addAll(parked);
            for (PendingRemoteInvocation p : remote) {
                RemoteInvocation inv = p.invocation();
                made.add(new Envelope(p.keyGroup(), inv.targetAddress(), inv.caller(), inv.valueTypeName(),
                        inv.rawValue()));
            }
            made.addAll(local);
            elements = made;
        }
        return elements;
    }
}
