package io.stator.state.internal;

import io.stator.state.KeyGroupRange;
import io.stator.state.RocksDbStateConfig;
import io.stator.state.SnapshottableStateStore;
import io.stator.state.StateStoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a RocksDB state backend owns: the shared RocksDB options and block cache, the snapshot upload threads,
 * and the stores it has opened. It lays out the data folder:
 *
 * <pre>
 *   &lt;dataDir&gt;/partition-&lt;p&gt;/                    live RocksDB of partition p
 *   &lt;dataDir&gt;/checkpoints/partition-&lt;p&gt;/&lt;id&gt;/    local checkpoint of snapshot id while it is copied
 *   &lt;dataDir&gt;/checkpoints/partition-&lt;p&gt;/changelog-&lt;n&gt;  the changelog segment being recorded
 * </pre>
 *
 * Thread-safe: partitions may be opened and closed from any thread; each store is then used by one thread.
 */
public final class PartitionStores implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionStores.class);
    private static final String CHECKPOINTS = "checkpoints";

    private final RocksDbStateConfig config;
    private final RocksDbResources resources;
    private final SnapshotUploader uploader;
    private final Map<Integer, RocksDbStateStore> open = new HashMap<>();
    private boolean closed;

    /**
     * Prepares the data folder; checkpoints left by a previous process are deleted (their copies either finished
     * or never will).
     *
     * @throws StateStoreException if the data folder cannot be prepared
     */
    public PartitionStores(RocksDbStateConfig config) {
        this.config = config;
        try {
            FileTrees.deleteRecursively(config.dataDir().resolve(CHECKPOINTS));
        } catch (IOException e) {
            throw new StateStoreException("cannot clear stale checkpoints under " + config.dataDir(), e);
        }
        this.resources = new RocksDbResources(config.blockCacheBytes(), config.writeBufferBytes());
        this.uploader = config.snapshotStore() == null ? null
                : new SnapshotUploader(config.snapshotStore(), config.snapshotThreads(), config.retainedSnapshots(),
                        config.maxParallelism());
    }

    /** @return the RocksDB folder of a partition */
    public static Path partitionDir(Path dataDir, int partition) {
        return dataDir.resolve("partition-" + partition);
    }

    /**
     * Opens a partition's store.
     *
     * @throws IllegalArgumentException naming the value if the partition or key groups are invalid
     * @throws IllegalStateException    if the partition is already open or the backend is closed
     */
    public synchronized SnapshottableStateStore open(int partition, KeyGroupRange keyGroups) {
        if (closed) {
            throw new IllegalStateException("the state backend at " + config.dataDir() + " is closed");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
        if (keyGroups.first() < 0 || keyGroups.last() >= config.maxParallelism() || keyGroups.size() == 0) {
            throw new IllegalArgumentException("key groups " + keyGroups + " of partition " + partition
                    + " must be a non-empty range within [0, " + (config.maxParallelism() - 1) + "]");
        }
        if (open.containsKey(partition)) {
            throw new IllegalStateException("partition " + partition + " is already open");
        }
        RocksDbStateStore store = new RocksDbStateStore(partition, keyGroups,
                partitionDir(config.dataDir(), partition),
                config.dataDir().resolve(CHECKPOINTS).resolve("partition-" + partition), resources,
                config.cacheMaxEntries(), config.cacheMaxBytes(), uploader, config.checkpointEvery(),
                config.changelogPartBytes(), () -> forget(partition));
        open.put(partition, store);
        return store;
    }

    /**
     * Closes stores still open (only safe once their partition threads stopped), waits for running snapshot
     * copies, and releases the shared native handles.
     */
    @Override
    public void close() {
        List<RocksDbStateStore> leftOpen;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            leftOpen = new ArrayList<>(open.values());
        }
        for (RocksDbStateStore store : leftOpen) {
            LOG.warn("partition {} was still open when its state backend closed; closing it", store.partition());
            store.close();
        }
        try {
            if (uploader != null) {
                uploader.close();
            }
        } finally {
            resources.close();
        }
    }

    private synchronized void forget(int partition) {
        open.remove(partition);
    }
}
