package io.stator.state;

import static io.stator.state.StateFixtures.COUNT;
import static io.stator.state.StateFixtures.MAX_PARALLELISM;
import static io.stator.state.StateFixtures.backend;
import static io.stator.state.StateFixtures.counter;
import static io.stator.state.StateFixtures.keyGroup;
import static io.stator.state.StateFixtures.longValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stator.sdk.Address;
import io.stator.state.internal.StateKeyDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end check: 1,000,000 counters (see {@link #VALUES}) written across 4 partitions, one snapshot, restored into 4, 3
 * and 1 partitions; every value must read back from its new owner, and each new partition must hold exactly its
 * key groups.
 */
class RescalingRestoreTest {
    private static final Logger LOG = LoggerFactory.getLogger(RescalingRestoreTest.class);
    /** The issue asks for 1,000,000; {@code -Dstator.test.rescaleValues=N} lowers it on an overloaded machine. */
    private static final int VALUES = Integer.getInteger("stator.test.rescaleValues", 1_000_000);
    private static final int OLD_PARTITIONS = 4;
    private static final long SNAPSHOT_ID = 1;

    @TempDir
    static Path dir;

    private static LocalFolderSnapshotStore snapshots;

    @BeforeAll
    static void writeOneMillionValuesAndSnapshot() throws Exception {
        snapshots = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        long start = System.nanoTime();
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshots).build()) {
            List<SnapshottableStateStore> stores = new ArrayList<>();
            for (int p = 0; p < OLD_PARTITIONS; p++) {
                stores.add(backend.openPartition(p, KeyGroups.rangeFor(p, OLD_PARTITIONS, MAX_PARALLELISM)));
            }
            for (int i = 0; i < VALUES; i++) {
                Address a = counter(i);
                int kg = keyGroup(a);
                stores.get(KeyGroups.partitionFor(kg, OLD_PARTITIONS, MAX_PARALLELISM)).put(kg, a, COUNT, longValue(i), 0);
            }
            long written = System.nanoTime();
            List<SnapshotHandle> handles = new ArrayList<>();
            for (SnapshottableStateStore store : stores) {
                handles.add(store.snapshot(SNAPSHOT_ID));
            }
            for (SnapshotHandle h : handles) {
                SnapshotResult r = h.completion().get(60, TimeUnit.SECONDS);
                LOG.info("partition {}: sync {} ms, async {} ms, {} files, {} bytes", r.partition(),
                        r.syncNanos() / 1_000_000, r.asyncNanos() / 1_000_000, r.files(), r.bytes());
            }
            for (SnapshottableStateStore store : stores) {
                store.close();
            }
            LOG.info("wrote {} values in {} ms, snapshot done after {} ms", VALUES, (written - start) / 1_000_000,
                    (System.nanoTime() - written) / 1_000_000);
        }
    }

    @ParameterizedTest(name = "into {0} partitions")
    @ValueSource(ints = {4, 3, 1})
    void everyValueReadsBackFromItsNewOwner(int partitions) throws Exception {
        Path target = dir.resolve("restored-" + partitions);
        RestoreResult restored = new StateRestorer(snapshots).restore(SNAPSHOT_ID, target, partitions, MAX_PARALLELISM);
        LOG.info("restore into {}: {}", partitions, restored);
        assertEquals(OLD_PARTITIONS, restored.snapshotPartitions());
        if (partitions == OLD_PARTITIONS) {
            assertEquals(OLD_PARTITIONS, restored.partitionsReused(), "same layout: checkpoints reused as they are");
        } else {
            assertEquals(VALUES, restored.entriesRewritten());
        }

        long start = System.nanoTime();
        try (RocksDbStateBackend backend = backend(target).blockCacheBytes(64L << 20).build()) {
            List<SnapshottableStateStore> stores = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                stores.add(backend.openPartition(p, KeyGroups.rangeFor(p, partitions, MAX_PARALLELISM)));
            }
            for (int i = 0; i < VALUES; i++) {
                Address a = counter(i);
                int kg = keyGroup(a);
                byte[] v = stores.get(KeyGroups.partitionFor(kg, partitions, MAX_PARALLELISM)).get(kg, a, COUNT, 0);
                if (v == null) {
                    fail(a + " in key group " + kg + " is missing after restoring into " + partitions + " partitions");
                }
                assertArrayEquals(longValue(i), v);
            }
            for (SnapshottableStateStore store : stores) {
                store.close();
            }
        }
        LOG.info("read back {} values from {} partitions in {} ms", VALUES, partitions,
                (System.nanoTime() - start) / 1_000_000);
        assertEachPartitionHoldsExactlyItsKeyGroups(target, partitions);
    }

    private static void assertEachPartitionHoldsExactlyItsKeyGroups(Path dataDir, int partitions) throws Exception {
        long total = 0;
        try (Options options = new Options()) {
            for (int p = 0; p < partitions; p++) {
                KeyGroupRange range = KeyGroups.rangeFor(p, partitions, MAX_PARALLELISM);
                try (RocksDB db = RocksDB.openReadOnly(options, dataDir.resolve("partition-" + p).toString());
                     RocksIterator it = db.newIterator()) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        int kg = StateKeyDescriptor.keyGroup(it.key());
                        assertTrue(range.contains(kg), "partition " + p + " " + range + " holds key group " + kg);
                        total++;
                    }
                }
            }
        }
        assertEquals(VALUES, total, "values across all partitions");
    }
}
