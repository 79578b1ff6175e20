package io.stator.runtime.internal;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.runtime.snapshot.TimerFiles;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.LongHashSet;

/**
 * Which timer files one partition's snapshots need (see {@link PartitionSnapshot.TimerLog}), kept by the snapshot
 * coordinator: a snapshot writes the timers set and removed since the previous one and carries the earlier files;
 * a snapshot listing every pending timer starts over. Files are carried from the last completed snapshot, so a
 * failed one costs its partitions a full list next time. Coordinator thread only.
 */
final class TimerChain {
    /**
     * Files past which a full list is wanted. Each is read on restore, and each is linked into every snapshot; a
     * full list costs the partition a pass over its pending timers, so it should not come every few seconds.
     */
    static final int MAX_FILES = 64;
    /** Records a chain may hold beyond twice the pending timers before a full list is wanted. */
    static final long SLACK_RECORDS = 65_536;

    /** A stored file: the snapshot that wrote it, and how many timer and removal records it holds. */
    private record File(long first, long records) {
    }

    private final int partition;
    private final CarriedFiles<File> chain = new CarriedFiles<>();
    /** Timers a restore numbered anew, written with the first snapshot's changes; null once written. */
    private List<PartitionSnapshot.Timer> base;

    TimerChain(int partition) {
        this.partition = partition;
    }

    /**
     * Stores the timers of snapshot {@code id}: its own file, if anything changed, and the earlier files it still
     * needs, carried from the last completed snapshot.
     *
     * @return the log naming its files, for the partition's metadata
     * @throws IllegalStateException if the log lists changes but no completed snapshot holds what they change
     */
    PartitionSnapshot.TimerLog store(SnapshotStore store, long id, PartitionSnapshot.TimerLog log)
            throws IOException {
        List<File> files = new ArrayList<>();
        List<PartitionSnapshot.Timer> restoredBase = base;
        base = null;
        if (log.live() == 0) {
            chain.propose(files); // nothing pending: no file is needed, whatever came before
            return log.storedIn(new long[0], 0);
        }
        List<PartitionSnapshot.Timer> entries = log.entries();
        long[] removed = log.removed();
        boolean full = log.full();
        if (!full && restoredBase != null) { // the changes since the restore, on top of what it restored
            List<PartitionSnapshot.Timer> all = new ArrayList<>(restoredBase.size() + entries.size());
            all.addAll(restoredBase);
            all.addAll(entries);
            entries = all;
            full = true;
        }
        if (!full) {
            if (!chain.hasBase()) {
                throw new IllegalStateException("partition " + partition + " lists timer changes for snapshot " + id
                        + " but no completed snapshot holds the timers they change");
            }
            for (File f : chain.committed()) {
                chain.carry(store, TimerFiles.path(partition, f.first()), id);
                files.add(f);
            }
        }
        if (removed.length > 0) { // a timer set and removed since the last file goes into no file
            LongHashSet gone = new LongHashSet(removed.length);
            for (long r : removed) {
                gone.add(r);
            }
            List<PartitionSnapshot.Timer> kept = new ArrayList<>(entries.size());
            for (PartitionSnapshot.Timer t : entries) {
                if (!gone.remove(t.id())) {
                    kept.add(t);
                }
            }
            entries = kept;
            removed = full ? new long[0] : earlierOnes(removed, gone);
        }
        if (full || entries.size() + removed.length > 0) {
            TimerFiles.write(store, id, partition, full, removed, entries);
            files.add(new File(id, entries.size() + removed.length));
        }
        chain.propose(files);
        long[] ids = new long[files.size()];
        long records = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = files.get(i).first();
            records += files.get(i).records();
        }
        return log.storedIn(ids, records);
    }

    /**
     * Continues the chain of restored snapshot {@code snapshotId}, which the store being written holds, for a
     * partition that kept the restored timers' ids: its first snapshot lists what changed since, not every timer.
     * Call before the first snapshot.
     *
     * @param restored the partition's timers as restored, naming their files
     */
    void resume(long snapshotId, PartitionSnapshot.TimerLog restored) {
        List<File> files = new ArrayList<>();
        for (int i = 0; i < restored.files().length; i++) { // the count per file is not kept; their sum is
            files.add(new File(restored.files()[i], i == 0 ? restored.records() : 0));
        }
        chain.resume(snapshotId, files);
    }

    /** @return the ids of {@code removed} still in {@code gone}, in their order: removals of earlier files' timers */
    private static long[] earlierOnes(long[] removed, LongHashSet gone) {
        long[] earlier = new long[gone.size()];
        int n = 0;
        for (long r : removed) {
            if (gone.contains(r)) {
                earlier[n++] = r;
            }
        }
        return earlier;
    }

    /**
     * Starts the chain from timers a restore renumbered (rescaled, or read from a savepoint folder), which the
     * partition does not list again: its first snapshot lists what changed since, and this chain writes those
     * changes on top of these as the first file. Call before the first snapshot; the list must not change.
     */
    void startFrom(List<PartitionSnapshot.Timer> restored) {
        base = restored;
    }

    /** Snapshot {@code id}, whose timers were last {@link #store stored}, is complete: its files are the chain. */
    void completed(long id) {
        chain.completed(id);
    }

    /**
     * @param live how many timers the partition had pending at the last completed snapshot
     * @return whether the next snapshot should list every pending timer again: when the chain has many files, or
     *     holds far more records than timers are pending
     */
    boolean wantsFull(long live) {
        return chain.outgrown(MAX_FILES, live, SLACK_RECORDS, File::records);
    }
}
