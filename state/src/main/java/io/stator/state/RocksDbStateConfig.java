package io.stator.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of a {@link RocksDbStateBackend}, validated on construction. Build it with
 * {@link RocksDbStateBackend#builder()}, which fills in the defaults below.
 *
 * @param dataDir           the folder holding {@code partition-<p>} RocksDB folders and local checkpoints
 * @param snapshotStore     where snapshots are copied; null if this backend never snapshots
 * @param maxParallelism    the number of key groups, recorded in snapshot manifests (default
 *                          {@link KeyGroups#DEFAULT_MAX_PARALLELISM})
 * @param cacheMaxEntries   the most entries the write-back cache of one partition keeps (default 100,000)
 * @param cacheMaxBytes     the most heap bytes the write-back cache of one partition keeps (default 32 MiB)
 * @param writeBufferBytes  the RocksDB memtable size of one partition (default 16 MiB)
 * @param blockCacheBytes   the RocksDB block cache shared by all partitions (default 64 MiB)
 * @param retainedSnapshots how many complete snapshots to keep in the snapshot store (default 3)
 * @param snapshotThreads   how many threads copy checkpoints to the snapshot store (default 1)
 * @param checkpointEvery   a RocksDB checkpoint every this many snapshots (default 10); the snapshots between
 *                          store a changelog of the partition's writes since the previous one and complete without
 *                          waiting for RocksDB, and a checkpoint is taken in the background. 1 makes every snapshot
 *                          wait for its own checkpoint
 * @param changelogPartBytes the most bytes of one changelog file, a part of a snapshot's segment (default and most
 *                          8 MiB, least 4 KiB); a snapshot whose segment passes four parts is taken full instead.
 *                          Smaller parts mean more, smaller files; the crash test sets them small so that its little
 *                          state still fills several
 */
public record RocksDbStateConfig(
        Path dataDir,
        SnapshotStore snapshotStore,
        int maxParallelism,
        int cacheMaxEntries,
        long cacheMaxBytes,
        long writeBufferBytes,
        long blockCacheBytes,
        int retainedSnapshots,
        int snapshotThreads,
        int checkpointEvery,
        long changelogPartBytes) {

    /** Default {@link #cacheMaxEntries}. */
    public static final int DEFAULT_CACHE_MAX_ENTRIES = 100_000;
    /** Default {@link #cacheMaxBytes}. */
    public static final long DEFAULT_CACHE_MAX_BYTES = 32L << 20;
    /** Default {@link #writeBufferBytes}. */
    public static final long DEFAULT_WRITE_BUFFER_BYTES = 16L << 20;
    /** Default {@link #blockCacheBytes}. */
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    /** Default {@link #retainedSnapshots}. */
    public static final int DEFAULT_RETAINED_SNAPSHOTS = 3;
    /** Default {@link #snapshotThreads}. */
    public static final int DEFAULT_SNAPSHOT_THREADS = 1;
    /** Default {@link #checkpointEvery}. */
    public static final int DEFAULT_CHECKPOINT_EVERY = 10;
    /** Default and most {@link #changelogPartBytes}: a restore holds one part and its write batch in memory. */
    public static final long MAX_CHANGELOG_PART_BYTES = 8L << 20;
    /** Least {@link #changelogPartBytes}. */
    public static final long MIN_CHANGELOG_PART_BYTES = 4L << 10;

    /**
     * @throws IllegalArgumentException naming the setting and its value if one is out of range
     * @throws NullPointerException     if {@code dataDir} is null
     */
    public RocksDbStateConfig {
        Objects.requireNonNull(dataDir, "dataDir must be set");
        KeyGroups.validate(1, maxParallelism);
        atLeast("cacheMaxEntries", cacheMaxEntries, 1);
        atLeast("cacheMaxBytes", cacheMaxBytes, 1);
        atLeast("writeBufferBytes", writeBufferBytes, 64L << 10);
        atLeast("blockCacheBytes", blockCacheBytes, 0);
        atLeast("retainedSnapshots", retainedSnapshots, 1);
        atLeast("snapshotThreads", snapshotThreads, 1);
        atLeast("checkpointEvery", checkpointEvery, 1);
        atLeast("changelogPartBytes", changelogPartBytes, MIN_CHANGELOG_PART_BYTES);
        if (changelogPartBytes > MAX_CHANGELOG_PART_BYTES) {
            throw new IllegalArgumentException("changelogPartBytes must be at most " + MAX_CHANGELOG_PART_BYTES
                    + ", was " + changelogPartBytes);
        }
    }

    private static void atLeast(String setting, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(setting + " must be at least " + min + ", was " + value);
        }
    }
}
