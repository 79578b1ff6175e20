package io.stator.state;

import static io.stator.state.StateFixtures.COUNT;
import static io.stator.state.StateFixtures.COUNT_AS_INT;
import static io.stator.state.StateFixtures.backend;
import static io.stator.state.StateFixtures.counter;
import static io.stator.state.StateFixtures.decodeLong;
import static io.stator.state.StateFixtures.keyGroup;
import static io.stator.state.StateFixtures.longValue;
import static io.stator.state.StateFixtures.openWhole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.ValueSpec;
import io.stator.state.internal.RocksDbStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void reopeningTheDataFolderAfterCloseKeepsEveryValue() {
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore store = openWhole(backend)) {
            for (int i = 0; i < 1000; i++) {
                store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i), 0);
            }
            store.delete(keyGroup(counter(7)), counter(7), COUNT);
        }
        assertTrue(Files.isDirectory(dir.resolve("partition-0")), "partition folder at <dataDir>/partition-0");
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore store = openWhole(backend)) {
            for (int i = 0; i < 1000; i++) {
                byte[] v = store.get(keyGroup(counter(i)), counter(i), COUNT, 0);
                if (i == 7) {
                    assertNull(v, "deleted value stays deleted");
                } else {
                    assertEquals(i, decodeLong(v), "value of " + counter(i));
                }
            }
        }
    }

    /** The store skips encoding a key again for the same instances it just encoded (a call's get, then its put). */
    @Test
    void callsThatShareAnAddressOrAStateInstanceEachKeepTheirOwnValue() {
        ValueSpec<Long> other = ValueSpec.named("other").withLongType();
        Address a = counter(1);
        Address b = counter(2);
        Address aAgain = counter(1);
        try (RocksDbStateBackend backend = backend(dir).build()) {
            try (SnapshottableStateStore store = openWhole(backend)) {
                assertNull(store.get(keyGroup(a), a, COUNT, 0));
                store.put(keyGroup(a), a, COUNT, longValue(1), 0);
                store.put(keyGroup(a), a, other, longValue(2), 0);
                store.put(keyGroup(b), b, other, longValue(3), 0);
                store.get(keyGroup(aAgain), aAgain, other, 0);
                store.put(keyGroup(a), a, other, longValue(4), 0);
                store.delete(keyGroup(b), b, COUNT);
                assertEquals(1, decodeLong(store.get(keyGroup(a), a, COUNT, 0)));
                assertEquals(4, decodeLong(store.get(keyGroup(aAgain), aAgain, other, 0)));
                assertEquals(3, decodeLong(store.get(keyGroup(b), b, other, 0)));
                assertNull(store.get(keyGroup(b), b, COUNT, 0));
            }
            try (SnapshottableStateStore store = openWhole(backend)) {
                assertEquals(1, decodeLong(store.get(keyGroup(a), a, COUNT, 0)), "a's count, after a reopen");
                assertEquals(4, decodeLong(store.get(keyGroup(a), a, other, 0)), "a's other state, after a reopen");
                assertEquals(3, decodeLong(store.get(keyGroup(b), b, other, 0)), "b's other state, after a reopen");
            }
        }
    }

    @Test
    void readingAValueThroughASpecOfAnotherTypeThrowsTheMismatch() {
        Address a = counter(1);
        try (RocksDbStateBackend backend = backend(dir).build()) {
            try (SnapshottableStateStore store = openWhole(backend)) {
                store.put(keyGroup(a), a, COUNT, longValue(5), 0);
                StateTypeMismatchException cached =
                        assertThrows(StateTypeMismatchException.class, () -> store.get(keyGroup(a), a, COUNT_AS_INT, 0));
                assertEquals("state 'count' of bench/counter/user-1 holds a value of another type than"
                        + " io.statefun.types/int, which its ValueSpec declares", cached.getMessage());
            }
            try (SnapshottableStateStore store = openWhole(backend)) {
                assertThrows(StateTypeMismatchException.class, () -> store.get(keyGroup(a), a, COUNT_AS_INT, 0),
                        "the type hash survives the trip through RocksDB");
                assertEquals(5, decodeLong(store.get(keyGroup(a), a, COUNT, 0)));
            }
        }
    }

    @Test
    void aSixteenEntryCacheLosesNothingAcrossTenThousandWritesAndReads() {
        int n = 10_000;
        try (RocksDbStateBackend backend = backend(dir).cacheMaxEntries(16).build()) {
            try (SnapshottableStateStore store = openWhole(backend)) {
                for (int i = 0; i < n; i++) {
                    store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i), 0);
                }
                assertTrue(store.metrics().cacheEntries() <= 16, "cache bound holds: " + store.metrics());
                assertTrue(store.metrics().evictions() >= n - 16, "evicted dirty entries: " + store.metrics());
                for (int i = 0; i < n; i += 3) {
                    store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(-i), 0);
                }
                for (int i = 1; i < n; i += 100) {
                    store.delete(keyGroup(counter(i)), counter(i), COUNT);
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(expected(i), actual(store, i), "value of " + counter(i));
                }
            }
            try (SnapshottableStateStore store = openWhole(backend)) {
                for (int i = 0; i < n; i++) {
                    assertEquals(expected(i), actual(store, i), "value of " + counter(i) + " after reopening");
                }
            }
        }
    }

    private static Long expected(int i) {
        if (i % 100 == 1) {
            return null;
        }
        return i % 3 == 0 ? (long) -i : (long) i;
    }

    private static Long actual(KeyedStateStore store, int i) {
        byte[] v = store.get(keyGroup(counter(i)), counter(i), COUNT, 0);
        return v == null ? null : decodeLong(v);
    }

    @Test
    void hotReadsAndRepeatedMissesAreServedByTheCache() {
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore store = openWhole(backend)) {
            Address present = counter(1);
            Address absent = counter(2);
            store.put(keyGroup(present), present, COUNT, longValue(1), 0);
            store.flush();
            for (int i = 0; i < 100; i++) {
                assertEquals(1, decodeLong(store.get(keyGroup(present), present, COUNT, 0)));
                assertNull(store.get(keyGroup(absent), absent, COUNT, 0));
            }
            StateMetrics m = store.metrics();
            assertEquals(1, m.cacheMisses(), "only the first read of the absent key reaches RocksDB: " + m);
            assertEquals(199, m.cacheHits(), m.toString());
            assertEquals(0, m.dirtyEntries(), m.toString());
            assertEquals(2, m.cacheEntries(), m.toString());
            assertTrue(m.cacheHitRate() > 0.99, m.toString());
        }
    }

    @Test
    void flushWritesDirtyEntriesAndKeepsThemCached() {
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore store = openWhole(backend)) {
            for (int i = 0; i < 500; i++) {
                store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i), 0);
            }
            assertEquals(500, store.metrics().dirtyEntries());
            store.flush();
            assertEquals(0, store.metrics().dirtyEntries());
            assertEquals(500, store.metrics().cacheEntries());
            assertTrue(store.metrics().liveSstBytes() >= 0);
        }
    }

    @Test
    void aKeyGroupOutsideThePartitionIsRefusedNamingIt() {
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore store = backend.openPartition(1, new KeyGroupRange(64, 127))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.put(3, counter(1), COUNT, longValue(1), 0));
            assertEquals("key group 3 of bench/counter/user-1 is not owned by partition 1, which holds key groups"
                    + " [64..127]", e.getMessage());
        }
    }

    @Test
    void theBuilderRefusesBadSettingsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RocksDbStateBackend.builder().dataDir(dir).cacheMaxEntries(0).build());
        assertEquals("cacheMaxEntries must be at least 1, was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RocksDbStateBackend.builder().dataDir(dir).changelogPartBytes(1024).build());
        assertEquals("changelogPartBytes must be at least 4096, was 1024", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RocksDbStateBackend.builder().dataDir(dir).changelogPartBytes((8L << 20) + 1).build());
        assertEquals("changelogPartBytes must be at most 8388608, was 8388609", e.getMessage());
        assertThrows(NullPointerException.class, () -> RocksDbStateBackend.builder().build());
    }

    @Test
    void openingAPartitionTwiceIsRefused() {
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore ignored = openWhole(backend)) {
            assertThrows(IllegalStateException.class, () -> openWhole(backend));
        }
    }

    @Test
    void snapshotWithoutASnapshotStoreIsRefused() {
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore store = openWhole(backend)) {
            assertThrows(IllegalStateException.class, () -> store.snapshot(1));
        }
    }

    /** The space goal: a long counter with a short id takes at most 64 bytes on disk. */
    @Test
    void aCounterTakesAtMost64BytesOnDisk() {
        int n = 100_000;
        try (RocksDbStateBackend backend = backend(dir).build();
             SnapshottableStateStore store = openWhole(backend)) {
            for (int i = 0; i < n; i++) {
                store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i * 7919L), 0);
            }
            ((RocksDbStateStore) store).compact();
            long bytes = store.metrics().liveSstBytes();
            double perCounter = (double) bytes / n;
            assertTrue(perCounter <= 64, "bytes on disk per counter: " + perCounter);
            assertArrayEquals(longValue(5 * 7919L), store.get(keyGroup(counter(5)), counter(5), COUNT, 0));
            org.slf4j.LoggerFactory.getLogger(getClass()).info("{} counters take {} SST bytes, {} per counter", n,
                    bytes, String.format("%.1f", perCounter));
        }
    }
}
