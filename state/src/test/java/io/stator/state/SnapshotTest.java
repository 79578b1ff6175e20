package io.stator.state;

import static io.stator.state.StateFixtures.COUNT;
import static io.stator.state.StateFixtures.MAX_PARALLELISM;
import static io.stator.state.StateFixtures.backend;
import static io.stator.state.StateFixtures.counter;
import static io.stator.state.StateFixtures.decodeLong;
import static io.stator.state.StateFixtures.keyGroup;
import static io.stator.state.StateFixtures.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.state.internal.RocksDbResources;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of two partitions of 1,000 counters each, and what happens when they break. */
class SnapshotTest {
    private static final int PARTITIONS = 2;
    private static final int VALUES = 2_000;
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private Path snapshots() {
        return dir.resolve("snapshots");
    }

    /** Opens both partitions, writes {@code i * version} for every counter, and snapshots with id {@code version}. */
    private List<SnapshotHandle> writeAndSnapshot(RocksDbStateBackend backend, long version) {
        List<SnapshotHandle> handles = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            KeyGroupRange range = KeyGroups.rangeFor(p, PARTITIONS, MAX_PARALLELISM);
            try (SnapshottableStateStore store = backend.openPartition(p, range)) {
                for (int i = 0; i < VALUES; i++) {
                    Address a = counter(i);
                    if (range.contains(keyGroup(a))) {
                        store.put(keyGroup(a), a, COUNT, longValue(i * version), 0);
                    }
                }
                handles.add(store.snapshot(version));
            }
        }
        return handles;
    }

    private static List<SnapshotResult> await(List<SnapshotHandle> handles) throws Exception {
        List<SnapshotResult> results = new ArrayList<>();
        for (SnapshotHandle h : handles) {
            results.add(h.completion().get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }

    /** Restores into one partition at {@code target} and returns the multiplier found in the values. */
    private long restoredVersion(Path target, RestoreResult restored) {
        assertEquals(1, restored.partitions());
        try (RocksDbStateBackend backend = backend(target).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            long version = decodeLong(store.get(keyGroup(counter(1)), counter(1), COUNT, 0));
            for (int i = 0; i < VALUES; i++) {
                assertEquals(i * version, decodeLong(store.get(keyGroup(counter(i)), counter(i), COUNT, 0)),
                        "value of " + counter(i));
            }
            return version;
        }
    }

    @Test
    void aSnapshotReportsSyncAndAsyncDurationsAndWritesTheDocumentedLayout() throws Exception {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(snapshots());
        // A checkpoint's layout: with the default, a store that opens empty stores its first snapshot as a changelog.
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(store).checkpointEvery(1).build()) {
            List<SnapshotHandle> handles = writeAndSnapshot(backend, 1);
            List<SnapshotResult> results = await(handles);
            for (SnapshotResult r : results) {
                assertTrue(r.syncNanos() > 0 && r.asyncNanos() > 0, r.toString());
                assertTrue(r.bytes() > 0 && r.files() > 0, r.toString());
            }
            assertEquals(handles.get(0).syncNanos(), results.get(0).syncNanos());
        }
        List<String> files = store.list(1);
        assertTrue(files.contains("partition-0.manifest") && files.contains("partition-1.manifest"), files.toString());
        assertTrue(files.contains("partition-0/CURRENT"), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.startsWith("partition-1/") && f.endsWith(".sst")), files.toString());
        assertFalse(Files.exists(data().resolve("checkpoints/partition-0/1")), "local checkpoint deleted after copy");

        store.write(1, "runtime.manifest", new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
        RestoreResult restored = new StateRestorer(store).restore(1, dir.resolve("restored"), 1, MAX_PARALLELISM);
        assertEquals(1, restoredVersion(dir.resolve("restored"), restored), "the runtime's own files are ignored");
    }

    @Test
    void aStoreMetricsReportTheLastSnapshot() throws Exception {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(store).build();
             SnapshottableStateStore s = StateFixtures.openWhole(backend)) {
            s.put(keyGroup(counter(1)), counter(1), COUNT, longValue(1), 0);
            SnapshotResult r = s.snapshot(5).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            StateMetrics m = s.metrics();
            assertEquals(1, m.snapshotsCompleted());
            assertEquals(r.bytes(), m.lastSnapshotBytes());
            assertEquals(r.syncNanos(), m.lastSnapshotSyncNanos());
            assertEquals(r.asyncNanos(), m.lastSnapshotAsyncNanos());
        }
    }

    @Test
    void aFlippedByteIsRefusedNamingTheFileAndRestoreFallsBackToThePreviousSnapshot() throws Exception {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(store).build()) {
            await(writeAndSnapshot(backend, 1));
            await(writeAndSnapshot(backend, 2));
        }
        String damaged = store.list(2).stream().filter(f -> f.startsWith("partition-1/") && f.endsWith(".sst"))
                .findFirst().orElseThrow();
        flipByte(store.pathOf(2, damaged));

        StateRestorer restorer = new StateRestorer(store);
        SnapshotCorruptedException refused = assertThrows(SnapshotCorruptedException.class,
                () -> restorer.restore(2, dir.resolve("restore-2"), 1, MAX_PARALLELISM));
        assertTrue(refused.getMessage().startsWith("snapshot 2 file " + damaged + " is corrupt: its CRC32C is"),
                refused.getMessage());
        assertTrue(Files.list(dir.resolve("restore-2")).findAny().isEmpty(), "refused restore leaves the folder empty");

        RestoreResult fallback = restorer.restoreLatestGood(dir.resolve("restore-latest"), 1, MAX_PARALLELISM)
                .orElseThrow();
        assertEquals(1, fallback.snapshotId());
        assertEquals(1, restoredVersion(dir.resolve("restore-latest"), fallback));
    }

    @Test
    void aMissingFileIsRefusedNamingTheFileAndRestoreFallsBackToThePreviousSnapshot() throws Exception {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(store).build()) {
            await(writeAndSnapshot(backend, 1));
            await(writeAndSnapshot(backend, 2));
        }
        String deleted = store.list(2).stream().filter(f -> f.startsWith("partition-0/MANIFEST-"))
                .findFirst().orElseThrow();
        Files.delete(store.pathOf(2, deleted));

        StateRestorer restorer = new StateRestorer(store);
        SnapshotCorruptedException refused = assertThrows(SnapshotCorruptedException.class,
                () -> restorer.restore(2, dir.resolve("restore-2"), 1, MAX_PARALLELISM));
        assertTrue(refused.getMessage().startsWith("snapshot 2 file " + deleted + " is missing"), refused.getMessage());

        RestoreResult fallback = restorer.restoreLatestGood(dir.resolve("restore-latest"), 1, MAX_PARALLELISM)
                .orElseThrow();
        assertEquals(1, fallback.snapshotId());
        assertEquals(1, restoredVersion(dir.resolve("restore-latest"), fallback));
    }

    @Test
    void aSnapshotMissingAPartitionIsIncompleteAndSkipped() throws Exception {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(store).build()) {
            await(writeAndSnapshot(backend, 1));
            await(writeAndSnapshot(backend, 2));
        }
        Files.delete(store.pathOf(2, "partition-1.manifest"));
        StateRestorer restorer = new StateRestorer(store);
        SnapshotCorruptedException refused = assertThrows(SnapshotCorruptedException.class,
                () -> restorer.restore(2, dir.resolve("restore-2"), 1, MAX_PARALLELISM));
        assertEquals("snapshot 2 is incomplete: no partition manifest covers key groups 64..127", refused.getMessage());
        assertEquals(1, restorer.restoreLatestGood(dir.resolve("restore-latest"), 1, MAX_PARALLELISM)
                .orElseThrow().snapshotId());
    }

    @Test
    void aFullDiskFailsOnlyThatSnapshotAndTheNextOneSucceeds() throws Exception {
        FullDiskSnapshotStore disk = new FullDiskSnapshotStore(new LocalFolderSnapshotStore(snapshots()), 1_000);
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(disk).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int i = 0; i < VALUES; i++) {
                store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i), 0);
            }
            SnapshotHandle failed = store.snapshot(1);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> failed.completion().get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(SnapshotFailedException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("No space left on device"), e.getCause().getMessage());
            assertTrue(e.getCause().getMessage().startsWith("snapshot 1 of partition 0 failed: cannot copy partition-0/"),
                    e.getCause().getMessage());
            assertEquals(1, store.metrics().snapshotsFailed());

            store.put(keyGroup(counter(1)), counter(1), COUNT, longValue(42), 0);
            assertEquals(42, decodeLong(store.get(keyGroup(counter(1)), counter(1), COUNT, 0)), "store still works");

            disk.free(Long.MAX_VALUE);
            assertEquals(2, store.snapshot(2).completion().get(WAIT_SECONDS, TimeUnit.SECONDS).snapshotId());
        }
        StateRestorer restorer = new StateRestorer(disk);
        assertThrows(SnapshotCorruptedException.class, () -> restorer.restore(1, dir.resolve("r1"), 1, MAX_PARALLELISM),
                "the failed snapshot has no manifest");
        RestoreResult restored = restorer.restoreLatestGood(dir.resolve("r2"), 1, MAX_PARALLELISM).orElseThrow();
        assertEquals(2, restored.snapshotId());
    }

    @Test
    void aCheckpointFailureFailsOnlyThatSnapshot() throws Exception {
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(snapshotStore).checkpointEvery(1).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            store.put(keyGroup(counter(1)), counter(1), COUNT, longValue(1), 0);
            // A file where the checkpoint folder should go makes the checkpoint impossible.
            Path blocker = data().resolve("checkpoints/partition-0");
            Files.createDirectories(blocker.getParent());
            Files.writeString(blocker, "in the way");
            SnapshotHandle failed = store.snapshot(1);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> failed.completion().get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().startsWith("snapshot 1 of partition 0 failed: cannot checkpoint"),
                    e.getCause().getMessage());

            Files.delete(blocker);
            store.put(keyGroup(counter(2)), counter(2), COUNT, longValue(2), 0);
            assertEquals(2, store.snapshot(2).completion().get(WAIT_SECONDS, TimeUnit.SECONDS).snapshotId());
        }
        RestoreResult restored = new StateRestorer(snapshotStore).restore(2, dir.resolve("r"), 1, MAX_PARALLELISM);
        try (RocksDbStateBackend backend = backend(dir.resolve("r")).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            assertEquals(1, decodeLong(store.get(keyGroup(counter(1)), counter(1), COUNT, 0)),
                    "a value frozen for the failed snapshot is in the next one");
            assertEquals(2, decodeLong(store.get(keyGroup(counter(2)), counter(2), COUNT, 0)));
        }
        assertEquals(2, restored.snapshotId());
    }

    /**
     * The partition goes on writing, deleting and evicting while the snapshot's writer works in the background
     * (with a cache small enough that the new writes pass its bounds), and the snapshot still holds exactly the
     * values at the moment it was taken.
     */
    @Test
    void writesDuringTheBackgroundCheckpointAreNotInTheSnapshot() throws Exception {
        int keys = 40_000;
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(snapshotStore).cacheMaxEntries(8_000).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int i = 0; i < keys; i++) {
                store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i), 0);
            }
            SnapshotHandle first = store.snapshot(1);
            for (int i = 0; i < keys; i++) {
                if (i % 10 == 0) {
                    store.delete(keyGroup(counter(i)), counter(i), COUNT);
                } else {
                    store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(2L * i), 0);
                }
            }
            first.completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            store.snapshot(2).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        StateRestorer restorer = new StateRestorer(snapshotStore);
        restorer.restore(1, dir.resolve("r1"), 1, MAX_PARALLELISM);
        restorer.restore(2, dir.resolve("r2"), 1, MAX_PARALLELISM);
        try (RocksDbStateBackend b1 = backend(dir.resolve("r1")).build();
             SnapshottableStateStore s1 = StateFixtures.openWhole(b1);
             RocksDbStateBackend b2 = backend(dir.resolve("r2")).build();
             SnapshottableStateStore s2 = StateFixtures.openWhole(b2)) {
            for (int i = 0; i < keys; i++) {
                Address a = counter(i);
                assertEquals(i, decodeLong(s1.get(keyGroup(a), a, COUNT, 0)), "snapshot 1 at " + a);
                byte[] second = s2.get(keyGroup(a), a, COUNT, 0);
                if (i % 10 == 0) {
                    assertEquals(null, second, "snapshot 2 has the delete of " + a);
                } else {
                    assertEquals(2L * i, decodeLong(second), "snapshot 2 at " + a);
                }
            }
        }
    }

    /**
     * A store that stays open takes full snapshots incrementally: SST files the previous snapshot holds are hard
     * links, and the newer snapshot restores on its own after the older one is deleted.
     */
    @Test
    void unchangedSstAndOptionsFilesAreTakenOverFromThePreviousSnapshot() throws Exception {
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(snapshotStore).checkpointEvery(1).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int i = 0; i < VALUES; i++) {
                store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i), 0);
            }
            store.snapshot(1).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            store.put(keyGroup(counter(VALUES)), counter(VALUES), COUNT, longValue(VALUES), 0);
            store.snapshot(2).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        List<String> ssts1 = snapshotStore.list(1).stream().filter(f -> f.endsWith(".sst")).toList();
        List<String> ssts2 = snapshotStore.list(2).stream().filter(f -> f.endsWith(".sst")).toList();
        assertFalse(ssts1.isEmpty());
        assertTrue(ssts2.containsAll(ssts1), "snapshot 2 still holds snapshot 1's SSTs: " + ssts1 + " " + ssts2);
        assertTrue(ssts2.size() > ssts1.size(), "and the new one: " + ssts2);
        for (String sst : ssts1) {
            assertTrue(Files.isSameFile(snapshotStore.pathOf(1, sst), snapshotStore.pathOf(2, sst)), sst + " is linked");
        }
        String options = snapshotStore.list(1).stream().filter(f -> f.contains("/OPTIONS-")).findFirst().orElseThrow();
        assertTrue(Files.isSameFile(snapshotStore.pathOf(1, options), snapshotStore.pathOf(2, options)),
                options + " is linked");
        String manifest = snapshotStore.list(2).stream().filter(f -> f.contains("/MANIFEST-")).findFirst().orElseThrow();
        assertFalse(Files.isSameFile(snapshotStore.pathOf(1, manifest), snapshotStore.pathOf(2, manifest)),
                manifest + " changes in place, so it is copied");

        snapshotStore.delete(1);
        new StateRestorer(snapshotStore).restore(2, dir.resolve("r"), 1, MAX_PARALLELISM);
        try (RocksDbStateBackend backend = backend(dir.resolve("r")).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int i = 0; i <= VALUES; i++) {
                assertEquals(i, decodeLong(store.get(keyGroup(counter(i)), counter(i), COUNT, 0)), "at " + i);
            }
        }
    }

    /**
     * Every snapshot appends to RocksDB's MANIFEST and every checkpoint copies the whole file: it must start over at
     * its bound instead of growing with the runtime's uptime.
     */
    @Test
    void theRocksDbManifestASnapshotCopiesStaysBoundedOverManySnapshots() throws Exception {
        int snapshots = 320; // ~290 bytes of MANIFEST each: ~90 KB, over the bound, without a new MANIFEST
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(snapshots());
        long largestManifest = 0;
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(snapshotStore).retainedSnapshots(1)
                .checkpointEvery(1).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= snapshots; id++) {
                store.put(keyGroup(counter(id % 50)), counter(id % 50), COUNT, longValue(id), 0);
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
                for (String f : snapshotStore.list(id)) {
                    if (f.contains("/MANIFEST-")) {
                        largestManifest = Math.max(largestManifest, Files.size(snapshotStore.pathOf(id, f)));
                    }
                }
            }
        }
        assertTrue(largestManifest <= RocksDbResources.MAX_MANIFEST_BYTES + (4 << 10),
                "largest MANIFEST copied " + largestManifest + " bytes");

        new StateRestorer(snapshotStore).restore(snapshots, dir.resolve("r"), 1, MAX_PARALLELISM);
        try (RocksDbStateBackend backend = backend(dir.resolve("r")).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = snapshots - 49; id <= snapshots; id++) {
                assertEquals(id, decodeLong(store.get(keyGroup(counter(id % 50)), counter(id % 50), COUNT, 0)),
                        "counter " + id % 50);
            }
        }
    }

    @Test
    void retentionKeepsTheLastCompleteSnapshots() throws Exception {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(snapshots());
        try (RocksDbStateBackend backend = backend(data()).snapshotStore(store).retainedSnapshots(2).build()) {
            for (long id = 1; id <= 4; id++) {
                await(writeAndSnapshot(backend, id));
            }
        }
        assertEquals(List.of(3L, 4L), store.snapshotIds());
    }

    private static void flipByte(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = ch.size() / 2;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            b.rewind();
            ch.write(b, at);
        }
    }
}
