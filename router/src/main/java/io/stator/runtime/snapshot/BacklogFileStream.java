package io.stator.runtime.snapshot;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.remote.client.RemoteInvocation;
import io.stator.runtime.internal.Envelope;
import java.util.Iterator;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of a backlog file in {@link BacklogFiles}'s layout, made as they are read. The entries are only
 * iterated, so a lazily made list (a dispatcher's capture of its whole backlog) is never materialised; each
 * envelope is made when reached and not kept. One reader thread; the list must not change while it is read.
 */
final class BacklogFileStream extends ChunkedEncodingStream {
    private final int partition;
    private final long snapshotId;
    private final List<PendingRemoteInvocation> entries;
    private Iterator<PendingRemoteInvocation> remaining;
    private long heldSequence;
    private long maxSequence = -1;
    private Envelope heldEnvelope;
    private int heldLength;
    private int written;

    BacklogFileStream(int partition, long snapshotId, List<PendingRemoteInvocation> entries) {
        this.partition = partition;
        this.snapshotId = snapshotId;
        this.entries = entries;
    }

    /** @return the largest sequence written so far (-1 if none) */
    long maxSequence() {
        return maxSequence;
    }

    @Override
    int nextRecordSize() {
        if (remaining == null) {
            return BacklogFiles.HEADER_BYTES;
        }
        if (heldEnvelope == null) {
            if (!remaining.hasNext()) {
                if (written != entries.size()) {
                    throw new IllegalStateException("a backlog changed while it was encoded: " + entries.size()
                            + " entries announced, " + written + " iterated");
                }
                return -1;
            }
            PendingRemoteInvocation next = remaining.next();
            RemoteInvocation inv = next.invocation();
            heldSequence = inv.sequence();
            maxSequence = Math.max(maxSequence, heldSequence);
            heldEnvelope = new Envelope(next.keyGroup(), inv.targetAddress(), inv.caller(), inv.valueTypeName(),
                    inv.rawValue());
        }
        heldLength = codec.encodedLength(heldEnvelope);
        return 8 + 4 + heldLength;
    }

    @Override
    int writeRecord(UnsafeBuffer out, int at) {
        if (remaining == null) {
            BacklogFiles.putHeader(out, at, partition, snapshotId, entries.size());
            remaining = entries.iterator();
            return at + BacklogFiles.HEADER_BYTES;
        }
        out.putLong(at, heldSequence, ORDER);
        int end = putEnvelope(out, at + 8, heldEnvelope, heldLength);
        heldEnvelope = null;
        written++;
        return end;
    }
}
