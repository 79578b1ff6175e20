package io.stator.state.internal;

import io.stator.state.KeyGroupRange;
import io.stator.state.SnapshotCorruptedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition manifest whose files a restore moved into place unchanged, left beside the partition's RocksDB
 * folder. The store that opens the folder next reads it and deletes it: if its snapshot store holds the same
 * snapshot, its first snapshot carries that snapshot's files over and adds a changelog of its own writes, instead
 * of storing a full checkpoint again right after a restart ({@link SnapshotWriter}).
 */
final class RestoredLineage {
    private static final Logger LOG = LoggerFactory.getLogger(RestoredLineage.class);

    private RestoredLineage() {
    }

    /** @return where the manifest restored into {@code partitionDir} is recorded */
    static Path markerOf(Path partitionDir) {
        return partitionDir.resolveSibling(partitionDir.getFileName() + ".restored-manifest");
    }

    /**
     * Records that {@code partitionDir} holds exactly the state of {@code manifest} (its checkpoint with its
     * changelog segments applied), and nothing written since.
     */
    static void record(Path partitionDir, PartitionManifest manifest) throws IOException {
        Files.write(markerOf(partitionDir), manifest.encode());
    }

    /**
     * Reads and deletes the record of {@code partitionDir}.
     *
     * @return the manifest its state came from, or null if there is none, it is damaged, or it covers other key
     *         groups than {@code keyGroups} (the folder's first snapshot is then full)
     */
    static PartitionManifest take(Path partitionDir, KeyGroupRange keyGroups) {
        Path marker = markerOf(partitionDir);
        try {
            byte[] bytes = Files.readAllBytes(marker);
            Files.delete(marker);
            PartitionManifest manifest = PartitionManifest.decode(bytes, marker.toString());
            return manifest.keyGroups().equals(keyGroups) ? manifest : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | SnapshotCorruptedException e) {
            LOG.warn("ignoring {} ({}); the partition's first snapshot will be full", marker, e.toString());
            return null;
        }
    }
}
