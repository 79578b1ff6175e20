package io.stator.state.internal;

import io.stator.state.SnapshotCorruptedException;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the partition manifests of a snapshot from a {@link SnapshotStore} and decides whether they form a
 * complete snapshot: same {@code maxParallelism}, key-group ranges that cover every key group exactly once.
 */
public final class SnapshotManifests {
    /** Partition manifests only: a snapshot folder may also hold the runtime's own files. */
    private static final Pattern PARTITION_MANIFEST = Pattern.compile("partition-(0|[1-9][0-9]{0,8})\\.manifest");

    private SnapshotManifests() {
    }

    /**
     * Reads and checks every partition manifest of a snapshot.
     *
     * @param maxParallelism the key-group count the caller expects
     * @return the manifests sorted by first key group, covering {@code [0, maxParallelism)} exactly
     * @throws SnapshotCorruptedException naming the manifest or the gap if the snapshot is damaged or incomplete
     * @throws IOException                if the store cannot be read
     */
    public static List<PartitionManifest> readComplete(SnapshotStore store, long snapshotId, int maxParallelism)
            throws IOException, SnapshotCorruptedException {
        List<PartitionManifest> manifests = new ArrayList<>();
        for (String path : store.list(snapshotId)) {
            if (PARTITION_MANIFEST.matcher(path).matches()) {
                manifests.add(read(store, snapshotId, path));
            }
        }
        if (manifests.isEmpty()) {
            throw new SnapshotCorruptedException("snapshot " + snapshotId + " in " + store.describe()
                    + " has no partition manifest");
        }
        for (PartitionManifest m : manifests) {
            if (m.maxParallelism() != maxParallelism) {
                throw new SnapshotCorruptedException("snapshot " + snapshotId + " file " + m.manifestPath()
                        + " was taken with maxParallelism " + m.maxParallelism() + ", expected " + maxParallelism);
            }
        }
        manifests.sort(Comparator.comparingInt(m -> m.keyGroups().first()));
        checkCoverage(snapshotId, manifests, maxParallelism);
        return manifests;
    }

    /** @return whether the snapshot is complete and its manifests are sound; never throws for damage */
    public static boolean isComplete(SnapshotStore store, long snapshotId, int maxParallelism) throws IOException {
        try {
            readComplete(store, snapshotId, maxParallelism);
            return true;
        } catch (SnapshotCorruptedException e) {
            return false;
        }
    }

    private static PartitionManifest read(SnapshotStore store, long snapshotId, String path)
            throws IOException, SnapshotCorruptedException {
        String where = "snapshot " + snapshotId + " file " + path;
        byte[] bytes;
        try (InputStream in = store.open(snapshotId, path)) {
            bytes = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new SnapshotCorruptedException(where + " is missing", e);
        }
        PartitionManifest manifest = PartitionManifest.decode(bytes, where);
        if (manifest.snapshotId() != snapshotId || !path.equals(manifest.manifestPath())) {
            throw new SnapshotCorruptedException(where + " describes snapshot " + manifest.snapshotId()
                    + " partition " + manifest.partition() + ", not this file's");
        }
        return manifest;
    }

    private static void checkCoverage(long snapshotId, List<PartitionManifest> sorted, int maxParallelism)
            throws SnapshotCorruptedException {
        int next = 0;
        for (PartitionManifest m : sorted) {
            if (m.keyGroups().first() > next) {
                throw new SnapshotCorruptedException("snapshot " + snapshotId + " is incomplete: no partition manifest"
                        + " covers key groups " + next + ".." + (m.keyGroups().first() - 1));
            }
            if (m.keyGroups().first() < next) {
                throw new SnapshotCorruptedException("snapshot " + snapshotId + " file " + m.manifestPath()
                        + " claims key groups " + m.keyGroups() + " that another partition manifest also claims");
            }
            next = m.keyGroups().last() + 1;
        }
        if (next != maxParallelism) {
            throw new SnapshotCorruptedException("snapshot " + snapshotId + " is incomplete: no partition manifest"
                    + " covers key groups " + next + ".." + (maxParallelism - 1));
        }
    }
}
