package io.stator.runtime.internal;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.remote.client.RemoteInvocation;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A partition's messages accepted but not finished at a snapshot, in restore order: the parked calls' messages,
 * then the remote invocations in flight or queued, then the local queue. The remote part can hold a million
 * invocations, so it stays the dispatcher's cheap capture: {@link #iterator()} (what the snapshot encoder uses)
 * makes each remote envelope as it is reached, on the reading thread (the snapshot coordinator's), and keeps
 * none; only indexed access builds the whole list, once. Immutable once made; the first read may come from any
 * one thread at a time.
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

    /** @return the messages in order, each remote envelope made when reached and not kept */
    @Override
    public Iterator<Envelope> iterator() {
        return new Iterator<>() {
            private final Iterator<Envelope> parkedPart = parked.iterator();
            private final Iterator<PendingRemoteInvocation> remotePart = remote.iterator();
            private final Iterator<Envelope> localPart = local.iterator();

            @Override
            public boolean hasNext() {
                return parkedPart.hasNext() || remotePart.hasNext() || localPart.hasNext();
            }

            @Override
            public Envelope next() {
                if (parkedPart.hasNext()) {
                    return parkedPart.next();
                }
                if (remotePart.hasNext()) {
                    return envelope(remotePart.next());
                }
                return localPart.next();
            }
        };
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
                made.add(envelope(p));
            }
            made.addAll(local);
            elements = made;
        }
        return elements;
    }

    private static Envelope envelope(PendingRemoteInvocation p) {
        RemoteInvocation inv = p.invocation();
        return new Envelope(p.keyGroup(), inv.targetAddress(), inv.caller(), inv.valueTypeName(), inv.rawValue());
    }
}
