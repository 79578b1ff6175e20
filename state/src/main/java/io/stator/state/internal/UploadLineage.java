package io.stator.state.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The newest snapshot one open partition store has stored, and the snapshot whose checkpoint it is built on (itself
 * for a full snapshot, an earlier one for a changelog snapshot), so that the next upload can take that snapshot's
 * SST and OPTIONS files over instead of copying them again ({@link io.stator.state.SnapshotStore#copyWithin}), and
 * the next changelog snapshot can take all its files over.
 *
 * <p>Why a name and a size identify such a file's content: RocksDB never changes an SST or OPTIONS file once
 * written (new options go to a new OPTIONS file) and never reuses a file number within a database, and a lineage
 * lives exactly as long as one open store of that database. MANIFEST and CURRENT change in place, so they are
 * always copied.
 * Upload threads share it: two uploads of the same store may overlap, and the newer manifest wins.
 */
final class UploadLineage {
    private record Stored(PartitionManifest manifest, long baseId) {
    }

    private final AtomicReference<Stored> newest = new AtomicReference<>();

    /** @return the newest stored manifest, or null before the first */
    PartitionManifest newest() {
        Stored s = newest.get();
        return s == null ? null : s.manifest();
    }

    /** @return the snapshot whose checkpoint the newest stored snapshot is built on, or -1 before the first */
    long newestBaseId() {
        Stored s = newest.get();
        return s == null ? -1 : s.baseId();
    }

    /** Records a full snapshot's upload that completed. */
    void uploaded(PartitionManifest manifest) {
        stored(manifest, manifest.snapshotId());
    }

    /** Records a snapshot stored as the checkpoint of snapshot {@code baseId} plus changelog segments. */
    void stored(PartitionManifest manifest, long baseId) {
        Stored s = new Stored(manifest, baseId);
        newest.accumulateAndGet(s, (a, b) -> a == null || b.manifest().snapshotId() > a.manifest().snapshotId() ? b : a);
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
