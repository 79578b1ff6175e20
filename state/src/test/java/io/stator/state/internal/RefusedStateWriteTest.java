package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroupRange;
import io.stator.state.KeyGroups;
import io.stator.state.RocksDbStateBackend;
import io.stator.state.SnapshottableStateStore;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a full disk RocksDB fails its memtable flush and then refuses every write ("No space left on device") until it
 * has recovered. A put or delete must not fail for that: it has already changed the cache, and the runtime would
 * deliver the message again (a counter would count it twice). The evicted entries stay cached and dirty, the cache
 * grows to 1.5 times its bounds, then the store waits until RocksDB takes writes again, and nothing is lost.
 *
 * <p>A full disk cannot be made on every machine the tests run on, so a test hook refuses the partition thread's
 * writes here, with the error RocksDB gives; RocksDB's own behaviour on a real full disk (a 2 MiB tmpfs) is in
 * benchmarks/RESULTS.md, "Session 18".
 */
class RefusedStateWriteTest {
    private static final int MAX_PARALLELISM = 128;
    private static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    private static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    private static final int CACHE = 100;
    private static final int UNDER_HARD_LIMIT = 140;
    private static final int KEYS = 160;

    @TempDir
    Path dir;

    @Test
    void refusedWritesLoseNothingAndTheStoreWaitsAtTheHardLimitUntilRocksDbTakesThem() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        ExecutorService partitionThread = Executors.newSingleThreadExecutor();
        try (RocksDbStateBackend backend = backend().build();
             SnapshottableStateStore store = open(backend)) {
            ((RocksDbStateStore) store).refuseWritesWhile(refuse::get);
            for (int i = 0; i < UNDER_HARD_LIMIT; i++) {
                put(store, i, i);
            }
            delete(store, 7);
            assertTrue(store.metrics().writeFailures() >= 1, "eviction was tried and refused");
            assertEquals(UNDER_HARD_LIMIT, store.metrics().cacheEntries(), "nothing was dropped");
            for (int i = 0; i < UNDER_HARD_LIMIT; i++) {
                assertEquals(i == 7 ? null : (long) i, get(store, i), "key " + i);
            }

            Future<?> rest = partitionThread.submit(() -> {
                for (int i = UNDER_HARD_LIMIT; i < KEYS; i++) {
                    put(store, i, i);
                }
            });
            assertThrows(TimeoutException.class, () -> rest.get(300, TimeUnit.MILLISECONDS),
                    "at 1.5 times the cache's bound the store waits for RocksDB");
            assertFalse(rest.isDone());
            assertTrue(store.metrics().cacheEntries() >= CACHE * 3 / 2);

            refuse.set(false);
            rest.get(30, TimeUnit.SECONDS);
            assertTrue(store.metrics().cacheEntries() <= CACHE, "evicted once RocksDB takes writes");
            for (int i = 0; i < KEYS; i++) {
                assertEquals(i == 7 ? null : (long) i, get(store, i), "key " + i);
            }
        } finally {
            partitionThread.shutdownNow();
        }
        try (RocksDbStateBackend backend = backend().build();
             SnapshottableStateStore store = open(backend)) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals(i == 7 ? null : (long) i, get(store, i), "key " + i + " after a reopen");
            }
        }
    }

    @Test
    void anAbandonedStoreStopsWaitingForRocksDbAndWritesNothingAtClose() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        ExecutorService partitionThread = Executors.newSingleThreadExecutor();
        try (RocksDbStateBackend backend = backend().build()) {
            SnapshottableStateStore store = open(backend);
            ((RocksDbStateStore) store).refuseWritesWhile(refuse::get);
            Future<?> puts = partitionThread.submit(() -> {
                for (int i = 0; i < KEYS; i++) {
                    put(store, i, i);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!store.waitingForWrites() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(store.waitingForWrites(), "at 1.5 times the cache's bound the put waits, and says so");
            assertFalse(puts.isDone());

            store.abandon(); // the runtime stops without a last snapshot
            puts.get(5, TimeUnit.SECONDS);
            assertFalse(store.waitingForWrites());
            store.close(); // RocksDB still refuses writes: a close that flushed would throw
        } finally {
            partitionThread.shutdownNow();
        }
    }

    private RocksDbStateBackend.Builder backend() {
        return RocksDbStateBackend.builder().dataDir(dir).maxParallelism(MAX_PARALLELISM).cacheMaxEntries(CACHE)
                .blockCacheBytes(8L << 20).writeBufferBytes(8L << 20);
    }

    private static SnapshottableStateStore open(RocksDbStateBackend backend) {
        return backend.openPartition(0, new KeyGroupRange(0, MAX_PARALLELISM - 1));
    }

    private static Address address(int i) {
        return new Address(COUNTER, "user-" + i);
    }

    private static void put(SnapshottableStateStore store, int i, long value) {
        Address a = address(i);
        store.put(KeyGroups.keyGroupFor(a, MAX_PARALLELISM), a, COUNT, Types.longType().serialize(value), 0);
    }

    private static void delete(SnapshottableStateStore store, int i) {
        Address a = address(i);
        store.delete(KeyGroups.keyGroupFor(a, MAX_PARALLELISM), a, COUNT);
    }

    private static Long get(SnapshottableStateStore store, int i) {
        Address a = address(i);
        byte[] b = store.get(KeyGroups.keyGroupFor(a, MAX_PARALLELISM), a, COUNT, 0);
        return b == null ? null : Types.longType().deserialize(b);
    }
}
