package io.stator.state;

import io.stator.state.internal.PartitionStores;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Keyed state in RocksDB, one database per partition, behind a write-back cache; snapshots to a
 * {@link SnapshotStore} and restores, with rescaling, through {@link StateRestorer}.
 *
 * <pre>{@code
 * RocksDbStateBackend backend = RocksDbStateBackend.builder()
 *         .dataDir(Path.of("/var/lib/stator/state"))
 *         .snapshotStore(new LocalFolderSnapshotStore(Path.of("/var/lib/stator/snapshots")))
 *         .cacheMaxEntries(200_000)
 *         .build();
 * SnapshottableStateStore store = backend.openPartition(p, KeyGroups.rangeFor(p, partitions, 128));
 * }</pre>
 *
 * Data folder layout: {@code <dataDir>/partition-<p>/} holds partition p's RocksDB, so reopening the same folder
 * (after a clean close) sees every value written before; {@code <dataDir>/checkpoints/} holds local checkpoints
 * while they are being copied. Thread-safe; each store it opens belongs to one partition thread.
 */
public final class RocksDbStateBackend implements StateBackend {
    private final RocksDbStateConfig config;
    private final PartitionStores stores;

    /**
     * Creates a backend; prefer {@link #builder()}.
     *
     * @throws StateStoreException if the data folder cannot be prepared
     */
    public RocksDbStateBackend(RocksDbStateConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.stores = new PartitionStores(config);
    }

    /** @return a builder with every setting at its default and no data folder yet */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens (creating if needed) the store of one partition at {@code <dataDir>/partition-<partition>}.
     *
     * @throws IllegalArgumentException if the key groups are empty or outside {@code [0, maxParallelism)}
     * @throws IllegalStateException    if the partition is already open or the backend is closed
     * @throws StateStoreException      if RocksDB cannot open the folder
     */
    @Override
    public SnapshottableStateStore openPartition(int partition, KeyGroupRange keyGroups) {
        return stores.open(partition, Objects.requireNonNull(keyGroups, "keyGroups"));
    }

    /** @return the settings */
    public RocksDbStateConfig config() {
        return config;
    }

    /** @return the RocksDB folder of {@code partition} */
    public Path partitionDir(int partition) {
        return PartitionStores.partitionDir(config.dataDir(), partition);
    }

    /**
     * Closes the backend: stores still open are closed (their threads must have stopped), running snapshot copies
     * are awaited, native handles are released.
     */
    @Override
    public void close() {
        stores.close();
    }

    /** Fluent settings for a {@link RocksDbStateBackend}; {@link #build()} validates them. */
    public static final class Builder {
        private Path dataDir;
        private SnapshotStore snapshotStore;
        private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;
        private int cacheMaxEntries = RocksDbStateConfig.DEFAULT_CACHE_MAX_ENTRIES;
        private long cacheMaxBytes = RocksDbStateConfig.DEFAULT_CACHE_MAX_BYTES;
        private long writeBufferBytes = RocksDbStateConfig.DEFAULT_WRITE_BUFFER_BYTES;
        private long blockCacheBytes = RocksDbStateConfig.DEFAULT_BLOCK_CACHE_BYTES;
        private int retainedSnapshots = RocksDbStateConfig.DEFAULT_RETAINED_SNAPSHOTS;
        private int snapshotThreads = RocksDbStateConfig.DEFAULT_SNAPSHOT_THREADS;
        private int checkpointEvery = RocksDbStateConfig.DEFAULT_CHECKPOINT_EVERY;
        private long changelogPartBytes = RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES;

        private Builder() {
        }

        /** The folder holding the partitions' databases; required. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Where snapshots are copied; without one, {@code snapshot()} is refused. */
        public Builder snapshotStore(SnapshotStore snapshotStore) {
            this.snapshotStore = snapshotStore;
            return this;
        }

        /** The number of key groups, as given to {@link KeyGroups}. */
        public Builder maxParallelism(int maxParallelism) {
            this.maxParallelism = maxParallelism;
            return this;
        }

        /** The most entries one partition's write-back cache keeps. */
        public Builder cacheMaxEntries(int cacheMaxEntries) {
            this.cacheMaxEntries = cacheMaxEntries;
            return this;
        }

        /** The most heap bytes one partition's write-back cache keeps. */
        public Builder cacheMaxBytes(long cacheMaxBytes) {
            this.cacheMaxBytes = cacheMaxBytes;
            return this;
        }

        /** One partition's RocksDB memtable size. */
        public Builder writeBufferBytes(long writeBufferBytes) {
            this.writeBufferBytes = writeBufferBytes;
            return this;
        }

        /** The RocksDB block cache shared by all partitions. */
        public Builder blockCacheBytes(long blockCacheBytes) {
            this.blockCacheBytes = blockCacheBytes;
            return this;
        }

        /** How many complete snapshots the snapshot store keeps. */
        public Builder retainedSnapshots(int retainedSnapshots) {
            this.retainedSnapshots = retainedSnapshots;
            return this;
        }

        /** How many threads copy checkpoints to the snapshot store. */
        public Builder snapshotThreads(int snapshotThreads) {
            this.snapshotThreads = snapshotThreads;
            return this;
        }

        /**
         * A RocksDB checkpoint every this many snapshots; the snapshots between store a changelog of each
         * partition's writes and complete without waiting for RocksDB. 1 makes every snapshot wait for its own
         * checkpoint.
         */
        public Builder checkpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /**
         * The most bytes of one changelog file; see {@link RocksDbStateConfig#changelogPartBytes()}. The default
         * is also the most.
         */
        public Builder changelogPartBytes(long changelogPartBytes) {
            this.changelogPartBytes = changelogPartBytes;
            return this;
        }

        /** @return the validated settings without opening anything */
        public RocksDbStateConfig config() {
            return new RocksDbStateConfig(dataDir, snapshotStore, maxParallelism, cacheMaxEntries, cacheMaxBytes,
                    writeBufferBytes, blockCacheBytes, retainedSnapshots, snapshotThreads, checkpointEvery,
                    changelogPartBytes);
        }

        /**
         * @return a backend with these settings
         * @throws IllegalArgumentException naming the setting if one is out of range
         * @throws NullPointerException     if no data folder was set
         */
        public RocksDbStateBackend build() {
            return new RocksDbStateBackend(config());
        }
    }
}
