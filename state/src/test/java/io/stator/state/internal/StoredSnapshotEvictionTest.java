package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroupRange;
import io.stator.state.KeyGroups;
import io.stator.state.LocalFolderSnapshotStore;
import io.stator.state.RocksDbStateBackend;
import io.stator.state.SnapshottableStateStore;
import io.stator.state.StateMetrics;
import io.stator.state.StateRestorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a stored changelog snapshot's entries still go through the memtable (here the writer is held there), the
 * partition evicts new keys to RocksDB instead of growing its cache towards the stall, records them for the next
 * snapshot, and leaves the keys the frozen entries hold alone. Both snapshots, and the live database after a clean
 * close, hold exactly what was written.
 */
class StoredSnapshotEvictionTest {
    private static final int MAX_PARALLELISM = 128;
    private static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    private static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    private static final int CACHE = 100;
    private static final int FROZEN_KEYS = 100;
    private static final int REWRITTEN = 10;
    private static final int NEW_KEYS = 300;

    @TempDir
    Path dir;

    @Test
    void newKeysAreEvictedAndRecordedWhileTheMemtableWriteIsLeft() throws Exception {
        LocalFolderSnapshotStore snapshots = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Releases the writer in any case, so that a failing run ends (a stalled partition waits for the writer).
        Thread safety = new Thread(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        safety.setDaemon(true);
        safety.start();
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshots).retainedSnapshots(10)
                .cacheMaxEntries(CACHE).build();
             SnapshottableStateStore store = openWhole(backend)) {
            ((RocksDbStateStore) store).beforeMemtableWrite(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < FROZEN_KEYS; i++) {
                put(store, "frozen-" + i, 1);
            }
            store.snapshot(1).completion().get(30, TimeUnit.SECONDS); // stored: the changelog holds the entries
            assertTrue(held.await(30, TimeUnit.SECONDS), "the writer reached the memtable write");

            for (int i = 0; i < REWRITTEN; i++) {
                put(store, "frozen-" + i, 2); // copies of frozen entries: their value 1 is still on its way
            }
            for (int i = 0; i < NEW_KEYS; i++) {
                put(store, "new-" + i, 3);
            }
            StateMetrics metrics = store.metrics();
            boolean stillHeld = release.getCount() > 0;
            long stalls = metrics.snapshotStalls();
            long evictions = metrics.evictions();
            int cached = metrics.cacheEntries();
            release.countDown();
            assertTrue(stillHeld, "the writer was held while the partition wrote");
            assertEquals(0, stalls, "no wait for the writer");
            assertTrue(evictions >= NEW_KEYS - CACHE, "new keys were evicted: " + evictions);
            assertTrue(cached < CACHE + CACHE / 2, "the cache stayed below the stall: " + cached);

            store.snapshot(2).completion().get(30, TimeUnit.SECONDS);
        }
        assertRestores(snapshots, 1, 1, 1, 0);
        assertRestores(snapshots, 2, 2, 1, 3);
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).build();
             SnapshottableStateStore store = openWhole(backend)) {
            assertValues(store, "the live database after a clean close", 2, 1, 3);
        }
    }

    /**
     * Random puts and deletes over 300 keys through a 40-entry cache, 12 snapshots; before each memtable write the
     * writer is held while another batch runs, so every snapshot has a stored phase with evictions in it. Each
     * snapshot restores to exactly the model of its moment, and the live database after a clean close to the last.
     */
    @Test
    void randomWritesDuringStoredPhasesKeepEverySnapshotExact() throws Exception {
        int keys = 300;
        int snapshotCount = 12;
        Random random = new Random(17);
        LocalFolderSnapshotStore snapshots = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        List<long[]> models = new ArrayList<>();
        long[] model = new long[keys]; // 0: absent
        SynchronousQueue<CountDownLatch> heldWriters = new SynchronousQueue<>();
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshots).retainedSnapshots(100)
                .cacheMaxEntries(40).build();
             SnapshottableStateStore store = openWhole(backend)) {
            ((RocksDbStateStore) store).beforeMemtableWrite(() -> {
                CountDownLatch release = new CountDownLatch(1);
                try {
                    if (heldWriters.offer(release, 30, TimeUnit.SECONDS)) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long evictionsBefore = 0;
            for (int id = 1; id <= snapshotCount; id++) {
                randomWrites(store, model, random, 200);
                models.add(model.clone());
                store.snapshot(id).completion().get(30, TimeUnit.SECONDS);
                CountDownLatch release = heldWriters.poll(30, TimeUnit.SECONDS);
                if (release != null) { // a changelog snapshot: its writer waits before the memtable write
                    evictionsBefore = store.metrics().evictions();
                    randomWrites(store, model, random, 200);
                    assertTrue(store.metrics().evictions() > evictionsBefore, "snapshot " + id + ": evictions while"
                            + " the memtable write was left");
                    release.countDown();
                }
            }
        }
        for (int id = 1; id <= snapshotCount; id++) {
            Path restored = dir.resolve("random-" + id);
            new StateRestorer(snapshots).restore(id, restored, 1, MAX_PARALLELISM);
            try (RocksDbStateBackend backend = backend(restored).build();
                 SnapshottableStateStore store = openWhole(backend)) {
                assertModel(store, models.get(id - 1), "snapshot " + id);
            }
        }
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).build();
             SnapshottableStateStore store = openWhole(backend)) {
            assertModel(store, model, "the live database after a clean close");
        }
    }

    private static void randomWrites(SnapshottableStateStore store, long[] model, Random random, int n) {
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(model.length);
            Address a = new Address(COUNTER, "key-" + k);
            int keyGroup = KeyGroups.keyGroupFor(a, MAX_PARALLELISM);
            if (random.nextInt(8) == 0) {
                store.delete(keyGroup, a, COUNT);
                model[k] = 0;
            } else {
                long v = 1 + random.nextInt(1_000_000);
                store.put(keyGroup, a, COUNT, Types.longType().serialize(v), 0);
                model[k] = v;
            }
        }
    }

    private static void assertModel(SnapshottableStateStore store, long[] model, String what) {
        for (int k = 0; k < model.length; k++) {
            assertEquals(model[k], get(store, "key-" + k), what + ": key-" + k);
        }
    }

    private void assertRestores(LocalFolderSnapshotStore snapshots, long id, long rewritten, long frozen,
            long fresh) throws Exception {
        Path restored = dir.resolve("restored-" + id);
        new StateRestorer(snapshots).restore(id, restored, 1, MAX_PARALLELISM);
        try (RocksDbStateBackend backend = backend(restored).build();
             SnapshottableStateStore store = openWhole(backend)) {
            assertValues(store, "snapshot " + id, rewritten, frozen, fresh);
        }
    }

    /** Checks every key: the rewritten frozen ones, the other frozen ones, the new ones (0: absent). */
    private static void assertValues(SnapshottableStateStore store, String what, long rewritten, long frozen,
            long fresh) {
        for (int i = 0; i < FROZEN_KEYS; i++) {
            assertEquals(i < REWRITTEN ? rewritten : frozen, get(store, "frozen-" + i), what + ": frozen-" + i);
        }
        for (int i = 0; i < NEW_KEYS; i++) {
            assertEquals(fresh, get(store, "new-" + i), what + ": new-" + i);
        }
    }

    private static RocksDbStateBackend.Builder backend(Path data) {
        return RocksDbStateBackend.builder().dataDir(data).maxParallelism(MAX_PARALLELISM).blockCacheBytes(8L << 20)
                .writeBufferBytes(8L << 20);
    }

    private static SnapshottableStateStore openWhole(RocksDbStateBackend backend) {
        return backend.openPartition(0, new KeyGroupRange(0, MAX_PARALLELISM - 1));
    }

    private static void put(SnapshottableStateStore store, String id, long value) {
        Address a = new Address(COUNTER, id);
        store.put(KeyGroups.keyGroupFor(a, MAX_PARALLELISM), a, COUNT, Types.longType().serialize(value), 0);
    }

    private static long get(SnapshottableStateStore store, String id) {
        Address a = new Address(COUNTER, id);
        byte[] v = store.get(KeyGroups.keyGroupFor(a, MAX_PARALLELISM), a, COUNT, 0);
        return v == null ? 0 : Types.longType().deserialize(v);
    }
}
