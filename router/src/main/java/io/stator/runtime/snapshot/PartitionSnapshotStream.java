package io.stator.runtime.snapshot;

import io.stator.runtime.internal.Envelope;
import java.util.Iterator;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of a {@link PartitionSnapshot}'s metadata in {@link PartitionSnapshotCodec}'s layout, made as they are
 * read. The lists are only iterated, never indexed. One reader thread; the snapshot's lists must not change while
 * it is read.
 */
final class PartitionSnapshotStream extends ChunkedEncodingStream {
    /** What the next record is; the stream moves through them in this order. */
    private enum Stage { HEADER, BACKLOG, PENDING_COUNT, PENDING, CHANNEL_COUNT, CHANNEL, TIMERS, END }

    private final PartitionSnapshot snapshot;
    private Stage stage = Stage.HEADER;
    private Iterator<Envelope> envelopes;
    /** The record to write next, taken from its iterator but not yet written (it did not fit the last chunk). */
    private Envelope heldEnvelope;
    /** The encoded length of the held envelope. */
    private int heldLength;
    /** Records the current list announced, and how many were written: a list that changed would corrupt the file. */
    private int announced;
    private int written;

    PartitionSnapshotStream(PartitionSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    int nextRecordSize() {
        while (true) {
            switch (stage) {
                case HEADER:
                    return PartitionSnapshotCodec.HEADER_BYTES;
                case BACKLOG:
                    return PartitionSnapshotCodec.backlogBytes(snapshot.backlog());
                case PENDING_COUNT, CHANNEL_COUNT:
                    return 4;
                case PENDING, CHANNEL:
                    if (heldEnvelope == null) {
                        if (!envelopes.hasNext()) {
                            endList(stage == Stage.PENDING ? Stage.CHANNEL_COUNT : Stage.TIMERS);
                            continue;
                        }
                        heldEnvelope = envelopes.next();
                    }
                    heldLength = codec.encodedLength(heldEnvelope);
                    return 4 + heldLength;
                case TIMERS:
                    return PartitionSnapshotCodec.timersBytes(snapshot.timers());
                default:
                    return -1;
            }
        }
    }

    @Override
    int writeRecord(UnsafeBuffer out, int at) {
        switch (stage) {
            case HEADER -> {
                PartitionSnapshotCodec.putHeader(out, at, snapshot);
                stage = Stage.BACKLOG;
                return at + PartitionSnapshotCodec.HEADER_BYTES;
            }
            case BACKLOG -> {
                stage = Stage.PENDING_COUNT;
                return PartitionSnapshotCodec.putBacklog(out, at, snapshot.backlog());
            }
            case PENDING_COUNT -> {
                return startList(out, at, snapshot.pending(), Stage.PENDING);
            }
            case CHANNEL_COUNT -> {
                return startList(out, at, snapshot.channel(), Stage.CHANNEL);
            }
            case PENDING, CHANNEL -> {
                int end = putEnvelope(out, at, heldEnvelope, heldLength);
                heldEnvelope = null;
                written++;
                return end;
            }
            case TIMERS -> {
                stage = Stage.END;
                return PartitionSnapshotCodec.putTimers(out, at, snapshot.timers());
            }
            default -> throw new IllegalStateException("no record after the end of the stream");
        }
    }

    private int startList(UnsafeBuffer out, int at, List<Envelope> list, Stage next) {
        envelopes = list.iterator();
        stage = next;
        return putCount(out, at, list.size());
    }

    private int putCount(UnsafeBuffer out, int at, int count) {
        out.putInt(at, count, ORDER);
        announced = count;
        written = 0;
        return at + 4;
    }

    private void endList(Stage next) {
        if (written != announced) {
            throw new IllegalStateException("a snapshot list changed while it was encoded: " + announced
                    + " elements announced, " + written + " iterated");
        }
        stage = next;
    }
}
