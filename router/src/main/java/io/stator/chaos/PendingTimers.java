package io.stator.chaos;

import io.stator.runtime.internal.SnapshotCoordinator;
import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.runtime.snapshot.PartitionSnapshotCodec;
import io.stator.runtime.snapshot.TimerFiles;
import io.stator.runtime.snapshot.SnapshotManifest;
import io.stator.state.LocalFolderSnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the delayed messages still pending in the newest complete snapshot of a stopped node's data folder. At the
 * end of a chaos run every delayed hop has fired and every victim was cancelled, so whatever is left is a timer
 * the runtime lost track of (a cancellation that did not stick, or a timer restored twice).
 */
final class PendingTimers {
    private PendingTimers() {
    }

    /**
     * @param snapshots the node's snapshot folder, {@code DATA/snapshots}
     * @return the pending delayed messages, decoded; empty if there is no complete snapshot
     */
    static List<ChaosMessage> newest(Path snapshots) {
        if (!Files.isDirectory(snapshots)) {
            return List.of();
        }
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(snapshots);
        try {
            List<Long> ids = new ArrayList<>(store.snapshotIds());
            for (int i = ids.size() - 1; i >= 0; i--) {
                long id = ids.get(i);
                if (SnapshotManifest.exists(store, id)) {
                    return timersOf(store, SnapshotManifest.read(store, id));
                }
            }
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshots in " + snapshots, e);
        }
    }

    private static List<ChaosMessage> timersOf(LocalFolderSnapshotStore store, SnapshotManifest manifest)
            throws IOException {
        List<ChaosMessage> pending = new ArrayList<>();
        for (int p = 0; p < manifest.partitions(); p++) {
            String path = String.format(SnapshotCoordinator.META_FORMAT, p);
            PartitionSnapshot part;
            try (InputStream in = store.open(manifest.id(), path)) {
                part = PartitionSnapshotCodec.decode(in.readAllBytes(), "snapshot " + manifest.id() + " " + path);
            }
            part = TimerFiles.restore(store, manifest.id(), part);
            for (PartitionSnapshot.Timer t : part.timers().entries()) {
                pending.add(ChaosMessage.TYPE.deserialize(t.message().rawValue()));
            }
        }
        return pending;
    }
}
