package io.stator.runtime.snapshot;

import java.util.Iterator;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of a timer file in {@link TimerFiles}'s layout, made as they are read. One reader thread; the lists must
 * not change while it is read.
 */
final class TimerFileStream extends ChunkedEncodingStream {
    /** Removed ids per record, so that a long list is written a chunk at a time. */
    private static final int IDS_PER_RECORD = 4096;

    private enum Stage { HEADER, REMOVED, ENTRY_COUNT, ENTRIES, END }

    private final int partition;
    private final long snapshotId;
    private final boolean full;
    private final long[] removed;
    private final List<PartitionSnapshot.Timer> entries;
    private Stage stage = Stage.HEADER;
    /** Removed ids written so far; the first record of them carries their count. */
    private int removedWritten = -1;
    private Iterator<PartitionSnapshot.Timer> remaining;
    private byte[] held;
    private int written;

    TimerFileStream(int partition, long snapshotId, boolean full, long[] removed,
            List<PartitionSnapshot.Timer> entries) {
        this.partition = partition;
        this.snapshotId = snapshotId;
        this.full = full;
        this.removed = removed;
        this.entries = entries;
    }

    @Override
    int nextRecordSize() {
        switch (stage) {
            case HEADER:
                return TimerFiles.HEADER_BYTES;
            case REMOVED:
                if (removedWritten < 0) {
                    return 4 + 8 * Math.min(IDS_PER_RECORD, removed.length);
                }
                return 8 * Math.min(IDS_PER_RECORD, removed.length - removedWritten);
            case ENTRY_COUNT:
                return 4;
            case ENTRIES:
                if (held == null) {
                    if (!remaining.hasNext()) {
                        if (written != entries.size()) {
                            throw new IllegalStateException("timers changed while they were encoded: "
                                    + entries.size() + " announced, " + written + " iterated");
                        }
                        stage = Stage.END;
                        return -1;
                    }
                    held = remaining.next().entry();
                }
                return held.length;
            default:
                return -1;
        }
    }

    @Override
    int writeRecord(UnsafeBuffer out, int at) {
        switch (stage) {
            case HEADER -> {
                TimerFiles.putHeader(out, at, partition, snapshotId, full);
                stage = Stage.REMOVED;
                return at + TimerFiles.HEADER_BYTES;
            }
            case REMOVED -> {
                int next = at;
                if (removedWritten < 0) {
                    out.putInt(next, removed.length, ORDER);
                    next += 4;
                    removedWritten = 0;
                }
                int end = Math.min(removed.length, removedWritten + IDS_PER_RECORD);
                for (int i = removedWritten; i < end; i++) {
                    out.putLong(next, removed[i], ORDER);
                    next += 8;
                }
                removedWritten = end;
                if (removedWritten == removed.length) {
                    stage = Stage.ENTRY_COUNT;
                }
                return next;
            }
            case ENTRY_COUNT -> {
                out.putInt(at, entries.size(), ORDER);
                remaining = entries.iterator();
                stage = Stage.ENTRIES;
                return at + 4;
            }
            case ENTRIES -> { // an entry is kept in the file's layout
                out.putBytes(at, held);
                int next = at + held.length;
                held = null;
                written++;
                return next;
            }
            default -> throw new IllegalStateException("no record after the end of the stream");
        }
    }
}
