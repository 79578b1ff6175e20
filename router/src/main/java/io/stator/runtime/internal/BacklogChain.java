package io.stator.runtime.internal;

import io.stator.runtime.snapshot.BacklogFiles;
import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which backlog files one partition's snapshots need (see {@link PartitionSnapshot.Backlog}), kept by the snapshot
 * coordinator: a snapshot writes what the partition accepted since the previous one and carries the earlier files
 * that still hold an invocation; a full snapshot starts over. Files are carried from the last completed snapshot,
 * so a failed one only costs its partitions a full backlog next time. Coordinator thread only.
 */
final class BacklogChain {
    /** Files past which a full backlog is wanted: each is read on restore. */
    static final int MAX_FILES = 16;
    /** Entries a chain may hold beyond twice the backlog before a full one is wanted (finished ones are dead weight). */
    static final long SLACK_ENTRIES = 65_536;

    /** A stored file: the snapshot that wrote it, and what it holds. */
    private record File(long first, long maxSequence, long entries) {
    }

    private final int partition;
    private final CarriedFiles<File> chain = new CarriedFiles<>();

    BacklogChain(int partition) {
        this.partition = partition;
    }

    /**
     * Stores the backlog of snapshot {@code id}: its own file (if it holds anything) and the earlier files it still
     * needs, carried from the last completed snapshot.
     *
     * @return the backlog naming its files, for the partition's metadata
     */
    PartitionSnapshot.Backlog store(SnapshotStore store, long id, PartitionSnapshot.Backlog backlog)
            throws IOException {
        long oldestHeld = Long.MAX_VALUE;
        for (long head : backlog.heads()) {
            oldestHeld = Math.min(oldestHeld, head);
        }
        List<File> files = new ArrayList<>();
        if (!backlog.full()) {
            for (File f : chain.committed()) {
                if (f.maxSequence() >= oldestHeld) { // else every invocation in it has finished
                    chain.carry(store, BacklogFiles.path(partition, f.first()), id);
                    files.add(f);
                }
            }
        }
        if (backlog.heads().length > 0 && !backlog.entries().isEmpty()) {
            long max = BacklogFiles.write(store, id, partition, backlog.entries());
            files.add(new File(id, max, backlog.entries().size()));
        }
        chain.propose(files);
        long[] ids = new long[files.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = files.get(i).first();
        }
        return backlog.storedIn(ids);
    }

    /** Snapshot {@code id}, whose backlog was last {@link #store stored}, is complete: its files are the chain. */
    void completed(long id) {
        chain.completed(id);
    }

    /**
     * @param held how many invocations the partition held at the last completed snapshot
     * @return whether the next snapshot should list the whole backlog again: when the chain has many files, or
     *     holds far more entries than are still held
     */
    boolean wantsFull(long held) {
        return chain.outgrown(MAX_FILES, held, SLACK_ENTRIES, File::entries);
    }
}
