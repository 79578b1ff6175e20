package io.stator.state.internal;

import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the newest {@code retained} complete snapshots in a {@link SnapshotStore} and deletes every snapshot
 * older than the oldest kept one, complete or not (an older incomplete snapshot can never complete usefully).
 * Incomplete snapshots newer than that are left alone: they may still be uploading.
 *
 * <p>Thread-safe: {@link #apply()} is serialized because upload threads call it after each partition upload.
 */
final class SnapshotRetention {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRetention.class);

    private final SnapshotStore store;
    private final int retained;
    private final int maxParallelism;

    SnapshotRetention(SnapshotStore store, int retained, int maxParallelism) {
        this.store = store;
        this.retained = retained;
        this.maxParallelism = maxParallelism;
    }

    /**
     * Deletes the snapshots that fall out of retention.
     *
     * @return how many snapshots were deleted
     */
    synchronized int apply() throws IOException {
        List<Long> ids = store.snapshotIds();
        long oldestKept = -1;
        int complete = 0;
        for (int i = ids.size() - 1; i >= 0 && complete < retained; i--) {
            if (SnapshotManifests.isComplete(store, ids.get(i), maxParallelism)) {
                complete++;
                oldestKept = ids.get(i);
            }
        }
        if (complete < retained) {
            return 0;
        }
        int deleted = 0;
        for (long id : ids) {
            if (id >= oldestKept) {
                break;
            }
            store.delete(id);
            deleted++;
            LOG.debug("deleted snapshot {} from {}: older than the {} retained", id, store.describe(), retained);
        }
        return deleted;
    }
}
