package io.stator.remote.client;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The invocations a {@link RemoteDispatcher} held at one moment, as {@link RemoteDispatcher#pendingInvocations()}
 * returns them. Capturing copies one array of references per address, so it stays cheap on the partition thread
 * with a million queued invocations. {@link #iterator()}, the snapshot encoder's way in, makes each
 * {@link PendingRemoteInvocation} as it is reached and keeps none; indexed access builds the whole list once.
 * Either typically runs on the snapshot coordinator's thread. Immutable after capture (the invocations
 * themselves are immutable); the first access may come from any one thread at a time.
 */
final class CapturedInvocations extends AbstractList<PendingRemoteInvocation> {
    private final int[] keyGroups;
    private final RemoteInvocation[][] perAddress;
    private final int size;
    private List<PendingRemoteInvocation> elements;

    /**
     * @param keyGroups  the key group of each address
     * @param perAddress each address's invocations, in flight first, then queued, in arrival order
     */
    CapturedInvocations(int[] keyGroups, RemoteInvocation[][] perAddress) {
        this.keyGroups = keyGroups;
        this.perAddress = perAddress;
        int n = 0;
        for (RemoteInvocation[] invocations : perAddress) {
            n += invocations.length;
        }
        this.size = n;
    }

    @Override
    public PendingRemoteInvocation get(int index) {
        return elements().get(index);
    }

    /** @return the invocations address by address, each element made when reached and not kept */
    @Override
    public Iterator<PendingRemoteInvocation> iterator() {
        return new Iterator<>() {
            private int address;
            private int next;

            @Override
            public boolean hasNext() {
                while (address < perAddress.length && next == perAddress[address].length) {
                    address++;
                    next = 0;
                }
                return address < perAddress.length;
            }

            @Override
            public PendingRemoteInvocation next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return new PendingRemoteInvocation(keyGroups[address], perAddress[address][next++]);
            }
        };
    }

    @Override
    public int size() {
        return size;
    }

    private synchronized List<PendingRemoteInvocation> elements() {
        if (elements == null) {
            List<PendingRemoteInvocation> made = new ArrayList<>(size);
            for (int a = 0; a < perAddress.length; a++) {
                for (RemoteInvocation invocation : perAddress[a]) {
                    made.add(new PendingRemoteInvocation(keyGroups[a], invocation));
                }
            }
            elements = made;
        }
        return elements;
    }
}
