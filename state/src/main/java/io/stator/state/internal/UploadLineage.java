package io.stator.state.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The newest snapshot one open partition store has uploaded, so that the next upload can take that snapshot's
 * SST and OPTIONS files over instead of copying them again ({@link io.stator.state.SnapshotStore#copyWithin}).
 *
 * <p>Why a name and a size identify such a file's content: RocksDB never changes an SST or OPTIONS file once
 * written (new options go to a new OPTIONS file) and never reuses a file number within a database, and a lineage
 * lives exactly as long as one open store of that database. MANIFEST and CURRENT change in place, so they are
 * always copied.
 * Upload threads share it: two uploads of the same store may overlap, and the newer manifest wins.
 */
final class UploadLineage {
    private final AtomicReference<PartitionManifest> newest = new AtomicReference<>();

    /** @return the newest uploaded manifest, or null before the first upload */
    PartitionManifest newest() {
        return newest.get();
    }

    /** Records an upload that completed. */
    void uploaded(PartitionManifest manifest) {
        newest.accumulateAndGet(manifest, (a, b) -> a == null || b.snapshotId() > a.snapshotId() ? b : a);
    }

    /**
     * @return the entry of {@code previous} for an SST or OPTIONS file of this name and size, or null if the file
     *         must be copied
     */
    static PartitionManifest.FileEntry reusable(PartitionManifest previous, String name, long size) {
        if (previous == null || !(name.endsWith(".sst") || name.startsWith("OPTIONS-"))) {
            return null;
        }
        for (PartitionManifest.FileEntry e : previous.files()) {
            if (e.name().equals(name)) {
                return e.size() == size ? e : null;
            }
        }
        return null;
    }
}
