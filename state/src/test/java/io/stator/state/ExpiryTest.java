package io.stator.state;

import static io.stator.state.StateFixtures.COUNT;
import static io.stator.state.StateFixtures.SEEN_AFTER_CALL;
import static io.stator.state.StateFixtures.SEEN_AFTER_WRITE;
import static io.stator.state.StateFixtures.backend;
import static io.stator.state.StateFixtures.counter;
import static io.stator.state.StateFixtures.decodeLong;
import static io.stator.state.StateFixtures.keyGroup;
import static io.stator.state.StateFixtures.longValue;
import static io.stator.state.StateFixtures.openWhole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stator.sdk.Address;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Expiry on a virtual clock: the {@code nowMillis} argument is the only time the store sees. */
class ExpiryTest {
    private static final Address A = counter(1);
    private static final int KG = keyGroup(A);

    @TempDir
    Path dir;

    /** With a one-entry cache every read comes from RocksDB, so the stored deadline is what is tested. */
    @ParameterizedTest(name = "cacheMaxEntries={0}")
    @ValueSource(ints = {1, 1000})
    void afterWriteExpiresOnScheduleWhetherOrNotTheValueIsRead(int cacheMaxEntries) {
        try (RocksDbStateBackend backend = backend(dir).cacheMaxEntries(cacheMaxEntries).build();
             SnapshottableStateStore store = openWhole(backend)) {
            store.put(KG, A, SEEN_AFTER_WRITE, longValue(1), 1_000);
            pushOut(store);
            assertNotNull(store.get(KG, A, SEEN_AFTER_WRITE, 1_060), "alive at +60 ms");
            pushOut(store);
            assertNotNull(store.get(KG, A, SEEN_AFTER_WRITE, 1_099), "alive at +99 ms: the read did not extend it");
            pushOut(store);
            assertNull(store.get(KG, A, SEEN_AFTER_WRITE, 1_100), "gone at +100 ms");
            store.put(KG, A, SEEN_AFTER_WRITE, longValue(2), 1_150);
            pushOut(store);
            assertEquals(2, decodeLong(store.get(KG, A, SEEN_AFTER_WRITE, 1_249)), "a write restarts the clock");
        }
    }

    @ParameterizedTest(name = "cacheMaxEntries={0}")
    @ValueSource(ints = {1, 1000})
    void afterCallIsExtendedByEveryRead(int cacheMaxEntries) {
        try (RocksDbStateBackend backend = backend(dir).cacheMaxEntries(cacheMaxEntries).build();
             SnapshottableStateStore store = openWhole(backend)) {
            store.put(KG, A, SEEN_AFTER_CALL, longValue(1), 1_000);
            pushOut(store);
            assertNotNull(store.get(KG, A, SEEN_AFTER_CALL, 1_060), "alive at +60 ms; now lives until +160");
            pushOut(store);
            assertNotNull(store.get(KG, A, SEEN_AFTER_CALL, 1_150), "alive at +150 ms thanks to the read at +60");
            pushOut(store);
            assertNull(store.get(KG, A, SEEN_AFTER_CALL, 1_250), "gone 100 ms after the last read");
        }
    }

    /** Evicts {@code A} from a one-entry cache by touching another key. */
    private static void pushOut(KeyedStateStore store) {
        Address other = counter(2);
        store.get(keyGroup(other), other, COUNT, 0);
    }

    /** A snapshot writes its frozen entries to RocksDB itself, each with its deadline. */
    @Test
    void expiryDeadlinesSurviveASnapshotsWriteToRocksDb() throws Exception {
        try (RocksDbStateBackend backend = backend(dir.resolve("data"))
                .snapshotStore(new LocalFolderSnapshotStore(dir.resolve("snapshots"))).cacheMaxEntries(1).build();
             SnapshottableStateStore store = openWhole(backend)) {
            store.put(KG, A, SEEN_AFTER_WRITE, longValue(1), 1_000);
            store.snapshot(1).completion().get(60, TimeUnit.SECONDS);
            store.flush(); // waits until the snapshot's writer has put the entry into RocksDB
            pushOut(store);
            assertNotNull(store.get(KG, A, SEEN_AFTER_WRITE, 1_099), "alive at +99 ms, read from RocksDB");
            pushOut(store);
            assertNull(store.get(KG, A, SEEN_AFTER_WRITE, 1_100), "gone at +100 ms");
        }
    }

    @Test
    void expiryDeadlinesSurviveAReopen() {
        try (RocksDbStateBackend backend = backend(dir).build()) {
            try (SnapshottableStateStore store = openWhole(backend)) {
                store.put(KG, A, SEEN_AFTER_WRITE, longValue(1), 1_000);
            }
            try (SnapshottableStateStore store = openWhole(backend)) {
                assertNotNull(store.get(KG, A, SEEN_AFTER_WRITE, 1_099));
                assertNull(store.get(KG, A, SEEN_AFTER_WRITE, 1_100));
            }
        }
    }

    @Test
    void purgeExpiredDeletesOnlyExpiredValuesSliceBySlice() {
        int n = 300;
        try (RocksDbStateBackend backend = backend(dir).build()) {
            try (SnapshottableStateStore store = openWhole(backend)) {
                for (int i = 0; i < n; i++) {
                    Address a = counter(i);
                    if (i % 3 == 0) {
                        store.put(keyGroup(a), a, COUNT, longValue(i), 1_000);
                    } else {
                        store.put(keyGroup(a), a, SEEN_AFTER_WRITE, longValue(i), 1_000);
                    }
                }
            }
            try (SnapshottableStateStore store = openWhole(backend)) {
                assertEquals(0, store.purgeExpired(1_099, 1_000), "nothing has expired yet");
                int purged = 0;
                for (int slice = 0; slice < 20; slice++) {
                    purged += store.purgeExpired(1_100, 37);
                }
                assertEquals(200, purged, "the slices together reach every expired value exactly once");
                assertEquals(0, store.purgeExpired(1_100, 1_000), "the sweep wraps around and finds nothing left");
                assertEquals(200, store.metrics().expiredPurged());
                for (int i = 0; i < n; i += 3) {
                    assertEquals(i, decodeLong(store.get(keyGroup(counter(i)), counter(i), COUNT, 5_000)));
                }
            }
        }
    }

    @Test
    void purgeExpiredTurnsExpiredCachedValuesIntoDeletes() {
        try (RocksDbStateBackend backend = backend(dir).build()) {
            try (SnapshottableStateStore store = openWhole(backend)) {
                store.put(KG, A, SEEN_AFTER_WRITE, longValue(1), 1_000);
                store.flush();
                assertEquals(1, store.purgeExpired(2_000, 10));
                assertEquals(1, store.metrics().dirtyEntries(), "the delete waits for the next flush");
            }
            try (SnapshottableStateStore store = openWhole(backend)) {
                assertEquals(0, store.purgeExpired(2_000, 10), "the delete reached RocksDB at close");
            }
        }
    }
}
