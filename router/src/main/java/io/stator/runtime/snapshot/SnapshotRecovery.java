package io.stator.runtime.snapshot;

import io.stator.runtime.internal.SnapshotCoordinator;
import io.stator.state.SnapshotCorruptedException;
import io.stator.state.SnapshotStore;
import io.stator.state.StateRestorer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a data folder back to the newest complete snapshot before the runtime starts: the state folder is
 * replaced by the snapshot's state (rescaled to the requested partition count if it differs) and the runtime's
 * part of the snapshot (unfinished messages, channel state, timers, ingress positions) is read back. Partial
 * snapshots (no manifest: the process died while taking them) newer than the one restored are deleted; a
 * damaged snapshot is skipped with a warning naming the file, and the one before it is used.
 */
public final class SnapshotRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRecovery.class);

    private SnapshotRecovery() {
    }

    /**
     * @param store          where the snapshots are
     * @param stateDir       the state folder to replace
     * @param partitions     the partition count to restore into
     * @param maxParallelism the key-group count
     * @return the restored snapshot, or empty for a first start (the state folder is then emptied: state written
     *     after no snapshot cannot be trusted)
     * @throws IllegalStateException if snapshots exist but none can be restored
     */
    public static Optional<RestoredSnapshot> restoreLatest(SnapshotStore store, Path stateDir, int partitions,
            int maxParallelism) {
        List<String> problems = new ArrayList<>();
        try {
            List<Long> ids = new ArrayList<>(store.snapshotIds());
            ids.sort(Comparator.reverseOrder());
            for (long id : ids) {
                if (!SnapshotManifest.exists(store, id)) {
                    LOG.info("deleting partial snapshot {} (no manifest: the runtime stopped while taking it)", id);
                    store.delete(id);
                    continue;
                }
                try {
                    return Optional.of(restore(store, id, stateDir, partitions, maxParallelism));
                } catch (SnapshotCorruptedException | IllegalArgumentException e) {
                    LOG.warn("cannot restore snapshot {}: {}; trying the one before", id, e.getMessage());
                    problems.add("snapshot " + id + ": " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("no snapshot can be restored: " + String.join("; ", problems));
            }
            io.stator.runtime.Folders.deleteTree(stateDir);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot store " + store.describe(), e);
        }
    }

    /**
     * Restores snapshot {@code id} into {@code stateDir} (replacing it) and reads the runtime's part.
     *
     * @throws SnapshotCorruptedException naming the file if a state file is damaged
     * @throws IllegalArgumentException   if the runtime's part is damaged or incomplete
     */
    public static RestoredSnapshot restore(SnapshotStore store, long id, Path stateDir, int partitions,
            int maxParallelism) throws IOException, SnapshotCorruptedException {
        SnapshotManifest manifest = SnapshotManifest.read(store, id);
        if (manifest.maxParallelism() != maxParallelism) {
            throw new IllegalArgumentException("snapshot " + id + " has maxParallelism " + manifest.maxParallelism()
                    + ", the runtime " + maxParallelism + " (key groups cannot change)");
        }
        List<PartitionSnapshot> parts = new ArrayList<>();
        for (int p = 0; p < manifest.partitions(); p++) {
            String path = String.format(SnapshotCoordinator.META_FORMAT, p);
            byte[] bytes;
            try (InputStream in = store.open(id, path)) {
                bytes = in.readAllBytes();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("snapshot " + id + " is missing " + path);
            }
            PartitionSnapshot part = PartitionSnapshotCodec.decode(bytes, "snapshot " + id + " file " + path);
            parts.add(TimerFiles.restore(store, id, BacklogFiles.restore(store, id, part)));
        }
        RestoredSnapshot restored = new RestoredSnapshot(id, parts, manifest.ingressLogId());
        io.stator.runtime.Folders.deleteTree(stateDir);
        new StateRestorer(store).restore(id, stateDir, partitions, maxParallelism);
        LOG.info("restored {}", restored.describe());
        return restored;
    }
}
