package io.stator.state;

import static io.stator.state.StateFixtures.COUNT;
import static io.stator.state.StateFixtures.MAX_PARALLELISM;
import static io.stator.state.StateFixtures.backend;
import static io.stator.state.StateFixtures.counter;
import static io.stator.state.StateFixtures.decodeLong;
import static io.stator.state.StateFixtures.keyGroup;
import static io.stator.state.StateFixtures.longValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.ValueSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots between checkpoints store a changelog of the partition's RocksDB writes instead of a checkpoint; these
 * tests restore them and check every value, with evictions, deletes, values larger than the changelog's buffer,
 * background checkpoints taken over, rescaling, and the fallback to a full snapshot.
 */
class ChangelogSnapshotTest {
    private static final long WAIT_SECONDS = 60;
    private static final int KEYS = 6_000;
    /** Big enough that evictions write to RocksDB (and so to the changelog) between snapshots. */
    private static final int CACHE_ENTRIES = 1_000;
    private static final ValueSpec<String> NOTE = ValueSpec.named("note").withUtf8StringType();
    /** The first of the counters a test writes once and never again. */
    private static final int COLD_KEYS = 10_000;

    @TempDir
    Path dir;

    /** What the store should hold: a count or nothing per key, and a note for a few keys. */
    private record Expected(Map<Integer, Long> counts, Map<Integer, String> notes) {
        Expected copy() {
            return new Expected(new HashMap<>(counts), new HashMap<>(notes));
        }
    }

    @Test
    void everyChangelogSnapshotRestoresExactlyTheStateAtItsBarrier() throws Exception {
        int snapshots = 14;
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        List<Expected> expectedAt = new ArrayList<>();
        expectedAt.add(null); // snapshot ids start at 1
        Random random = new Random(42);
        Expected expected = new Expected(new HashMap<>(), new HashMap<>());
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore)
                .cacheMaxEntries(CACHE_ENTRIES).retainedSnapshots(100).checkpointEvery(4).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= snapshots; id++) {
                for (int n = 0; n < 3_000; n++) {
                    int k = random.nextInt(KEYS);
                    Address a = counter(k);
                    if (random.nextInt(8) == 0) {
                        store.delete(keyGroup(a), a, COUNT);
                        expected.counts().remove(k);
                    } else {
                        long v = random.nextLong();
                        store.put(keyGroup(a), a, COUNT, longValue(v), 0);
                        expected.counts().put(k, v);
                    }
                }
                int k = random.nextInt(20); // notes larger than the changelog's 64 KiB buffer
                String note = String.valueOf((char) ('a' + id)).repeat(70_000 + id);
                store.put(keyGroup(counter(k)), counter(k), NOTE, note.getBytes(StandardCharsets.UTF_8), 0);
                expected.notes().put(k, note);
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
                expectedAt.add(expected.copy());
            }
            assertEquals(0, store.metrics().snapshotsFailed());
        }

        int withSegments = 0;
        int sharingTheirBase = 0;
        int takingANewBase = 0;
        for (int id = 2; id <= snapshots; id++) {
            List<String> files = snapshotStore.list(id);
            if (!files.stream().anyMatch(f -> f.contains("/stator-changelog-"))) {
                continue;
            }
            withSegments++;
            // RocksDB's MANIFEST is a checkpoint's own file: the same file as the previous snapshot's means the
            // same checkpoint; another one, in a changelog snapshot, a background checkpoint taken over.
            String manifest = files.stream().filter(f -> f.contains("/MANIFEST-")).findFirst().orElse(null);
            if (manifest == null) {
                continue; // before the first checkpoint: the store opened empty
            }
            Path previous = snapshotStore.pathOf(id - 1, manifest);
            if (Files.exists(previous) && Files.isSameFile(snapshotStore.pathOf(id, manifest), previous)) {
                sharingTheirBase++;
            } else {
                takingANewBase++;
            }
        }
        assertTrue(withSegments >= snapshots - 3, withSegments + " of " + (snapshots - 1) + " later snapshots are changelogs");
        assertTrue(sharingTheirBase > 0, "changelog snapshots take the previous checkpoint over");
        assertTrue(takingANewBase > 0, "a background checkpoint is taken over");

        for (int id = 1; id <= snapshots; id++) {
            Path restored = dir.resolve("r" + id);
            new StateRestorer(snapshotStore).restore(id, restored, 1, MAX_PARALLELISM);
            assertHolds(restored, 1, expectedAt.get(id), "snapshot " + id);
        }
        Path rescaled = dir.resolve("rescaled");
        new StateRestorer(snapshotStore).restore(snapshots, rescaled, 3, MAX_PARALLELISM);
        assertHolds(rescaled, 3, expectedAt.get(snapshots), "snapshot " + snapshots + " into 3 partitions");
        assertTrue(snapshotStore.list(1).stream().noneMatch(f -> f.contains("/MANIFEST-")),
                "the store opened empty: its first snapshot is a changelog with no checkpoint under it");
        Path firstRescaled = dir.resolve("first-rescaled");
        new StateRestorer(snapshotStore).restore(1, firstRescaled, 3, MAX_PARALLELISM);
        assertHolds(firstRescaled, 3, expectedAt.get(1), "snapshot 1 into 3 partitions");
    }

    @Test
    void aChangelogSnapshotWhosePreviousSnapshotIsGoneIsTakenFull() throws Exception {
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore)
                .retainedSnapshots(100).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= 3; id++) {
                writeCounters(store, id);
                if (id == 3) {
                    snapshotStore.delete(2); // as a retention racing the snapshot would
                }
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
                boolean changelog = snapshotStore.list(id).stream().anyMatch(f -> f.contains("/stator-changelog-"));
                // The store opened empty, so its first snapshot needs no checkpoint either.
                assertEquals(id < 3, changelog, "snapshot " + id + " files " + snapshotStore.list(id));
            }
            assertEquals(0, store.metrics().snapshotsFailed());
        }
        assertEquals(3, restoredMultiplier(snapshotStore, 3));
    }

    @Test
    void aSnapshotAskedForACheckpointHoldsNoChangelogAndTheNextBuildsOnIt() throws Exception {
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        snapshotCounters(dir.resolve("data"), snapshotStore, 1, 3, 2);
        List<String> second = snapshotStore.list(2);
        assertTrue(second.stream().noneMatch(f -> f.contains("/stator-changelog-")), second.toString());
        String manifest = second.stream().filter(f -> f.contains("/MANIFEST-")).findFirst().orElseThrow();
        List<String> third = snapshotStore.list(3);
        assertTrue(third.stream().anyMatch(f -> f.contains("/stator-changelog-3")), "3 is a changelog again: " + third);
        assertTrue(Files.isSameFile(snapshotStore.pathOf(2, manifest), snapshotStore.pathOf(3, manifest)),
                "on snapshot 2's checkpoint");
        assertEquals(3, restoredMultiplier(snapshotStore, 3));
    }

    /**
     * A partition restored unchanged from a snapshot of its own store logs its writes from the start, so its first
     * snapshot carries the restored snapshot's files over and adds one segment; restored from another store, or
     * into other key groups, it has nothing to build on and its first snapshot is full.
     */
    @Test
    void aRestoredPartitionsFirstSnapshotCarriesTheRestoredFilesOver() throws Exception {
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        snapshotCounters(dir.resolve("data"), snapshotStore, 1, 2, 1);
        List<String> second = snapshotStore.list(2);
        assertTrue(second.contains("partition-0/stator-changelog-2"), "2 is a checkpoint and a segment: " + second);

        Path restored = dir.resolve("restored");
        new StateRestorer(snapshotStore).restore(2, restored, 1, MAX_PARALLELISM);
        snapshotCounters(restored, snapshotStore, 3, 3, -1);
        List<String> third = snapshotStore.list(3);
        assertTrue(third.contains("partition-0/stator-changelog-3"), "3 is a changelog: " + third);
        for (String file : second) {
            if (file.startsWith("partition-0/")) {
                assertTrue(third.contains(file) && Files.isSameFile(snapshotStore.pathOf(2, file),
                        snapshotStore.pathOf(3, file)), file + " of snapshot 2 carried over into 3: " + third);
            }
        }
        assertEquals(3, restoredMultiplier(snapshotStore, 3));

        Path elsewhere = dir.resolve("restored-elsewhere");
        LocalFolderSnapshotStore otherStore = new LocalFolderSnapshotStore(dir.resolve("other-snapshots"));
        new StateRestorer(snapshotStore).restore(3, elsewhere, 1, MAX_PARALLELISM);
        snapshotCounters(elsewhere, otherStore, 4, 4, -1);
        assertTrue(otherStore.list(4).stream().noneMatch(f -> f.contains("/stator-changelog-")),
                "a store that never held snapshot 3 gets a full snapshot: " + otherStore.list(4));
        assertEquals(4, restoredMultiplier(otherStore, 4));

        Path halves = dir.resolve("halves");
        new StateRestorer(snapshotStore).restore(3, halves, 2, MAX_PARALLELISM);
        try (RocksDbStateBackend backend = backend(halves).snapshotStore(snapshotStore).retainedSnapshots(100).build();
             SnapshottableStateStore store = backend.openPartition(0, KeyGroups.rangeFor(0, 2, MAX_PARALLELISM))) {
            store.snapshot(5).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertTrue(snapshotStore.list(5).stream().noneMatch(f -> f.contains("/stator-changelog-")),
                "a rescaled partition has no snapshot of its own to build on: " + snapshotStore.list(5));
    }

    /**
     * 8 MiB of changelog since the last checkpoint takes one, whatever the snapshot count: it bounds what a restore
     * replays (40 notes of 128 KiB, ~5 MiB, per snapshot; a checkpoint every 1,000 snapshots by count).
     */
    @Test
    void enoughChangelogBytesTakeACheckpointWhateverTheCount() throws Exception {
        int snapshots = 8;
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore)
                .retainedSnapshots(100).checkpointEvery(1_000).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= snapshots; id++) {
                for (int k = 0; k < 40; k++) {
                    String note = String.valueOf((char) ('a' + id)).repeat(128 << 10);
                    store.put(keyGroup(counter(k)), counter(k), NOTE, note.getBytes(StandardCharsets.UTF_8), 0);
                }
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
        List<String> last = snapshotStore.list(snapshots);
        assertTrue(last.stream().anyMatch(f -> f.contains("/MANIFEST-")),
                "a background checkpoint was taken and taken over: " + last);
        assertTrue(last.stream().filter(f -> f.contains("/stator-changelog-")).count() < snapshots,
                "and the segments it covers were dropped: " + last);
        Path restored = dir.resolve("r");
        new StateRestorer(snapshotStore).restore(snapshots, restored, 1, MAX_PARALLELISM);
        try (RocksDbStateBackend backend = backend(restored).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            String want = String.valueOf((char) ('a' + snapshots)).repeat(128 << 10);
            for (int k = 0; k < 40; k++) {
                assertArrayEquals(want.getBytes(StandardCharsets.UTF_8), store.get(keyGroup(counter(k)), counter(k),
                        NOTE, 0), "note " + k);
            }
        }
    }

    /**
     * A snapshot interval that writes more than one segment file holds (8 MiB) is still a changelog, in parts: at 1M
     * keys, W1 writes ~9 MB a second per partition. 40 notes of 256 KiB per snapshot, through a 4 MiB cache, so that
     * both evictions (on the partition thread) and frozen entries (on the writer) go past a part's end.
     */
    @Test
    void aSnapshotWritingMoreThanOneSegmentFileIsStillAChangelog() throws Exception {
        int snapshots = 2;
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore)
                .retainedSnapshots(100).cacheMaxBytes(4L << 20).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= snapshots; id++) {
                for (int k = 0; k < 40; k++) {
                    byte[] note = noteOf(id, k);
                    store.put(keyGroup(counter(k)), counter(k), NOTE, note, 0);
                }
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            assertEquals(0, store.metrics().snapshotsFailed());
        }
        List<String> first = snapshotStore.list(1);
        assertTrue(first.containsAll(List.of("partition-0/stator-changelog-1", "partition-0/stator-changelog-1.1"))
                && first.stream().noneMatch(f -> f.contains("/MANIFEST-")), "a changelog in two parts: " + first);
        List<String> second = snapshotStore.list(2);
        assertTrue(second.contains("partition-0/stator-changelog-2.1"), second.toString());
        for (int id = 1; id <= snapshots; id++) {
            Path restored = dir.resolve("r" + id);
            new StateRestorer(snapshotStore).restore(id, restored, 1, MAX_PARALLELISM);
            try (RocksDbStateBackend backend = backend(restored).build();
                 SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
                for (int k = 0; k < 40; k++) {
                    assertArrayEquals(noteOf(id, k), store.get(keyGroup(counter(k)), counter(k), NOTE, 0),
                            "snapshot " + id + " note " + k);
                }
            }
        }
    }

    /**
     * With small parts (16 KiB), a snapshot of ~40 KiB of writes is a changelog in three parts, one of ~100 KiB
     * passes four parts and is taken full, and the next ones log on top of it. Every snapshot restores exactly.
     */
    @Test
    void smallPartsSplitASegmentAndBoundIt() throws Exception {
        int[] notesPerSnapshot = {10, 25, 10, 10};
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore)
                .retainedSnapshots(100).checkpointEvery(1_000).changelogPartBytes(16L << 10).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= notesPerSnapshot.length; id++) {
                for (int k = 0; k < notesPerSnapshot[id - 1]; k++) {
                    store.put(keyGroup(counter(k)), counter(k), NOTE, smallNoteOf(id, k), 0);
                }
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            assertEquals(0, store.metrics().snapshotsFailed());
        }
        List<String> first = snapshotStore.list(1);
        assertTrue(first.containsAll(List.of("partition-0/stator-changelog-1", "partition-0/stator-changelog-1.1",
                "partition-0/stator-changelog-1.2")) && first.stream().noneMatch(f -> f.contains("/MANIFEST-")),
                "a changelog in three parts: " + first);
        List<String> second = snapshotStore.list(2);
        assertTrue(second.stream().anyMatch(f -> f.contains("/MANIFEST-"))
                && second.stream().noneMatch(f -> f.contains("/stator-changelog-")),
                "past four parts, full: " + second);
        List<String> last = snapshotStore.list(notesPerSnapshot.length);
        assertTrue(last.containsAll(List.of("partition-0/stator-changelog-3", "partition-0/stator-changelog-4.2")),
                "changelogs in parts on top of the full snapshot: " + last);
        int[] segmentsReplayed = {1, 0, 1, 2}; // snapshot 2 is full; 3 and 4 log on top of it
        for (int id = 1; id <= notesPerSnapshot.length; id++) {
            Path restored = dir.resolve("r" + id);
            RestoreResult result = new StateRestorer(snapshotStore).restore(id, restored, 1, MAX_PARALLELISM);
            assertEquals(segmentsReplayed[id - 1], result.changelogSegments(), "segments replayed for snapshot " + id);
            assertTrue(id == 2 ? result.changelogFiles() == 0
                            : result.changelogFiles() >= 3 * result.changelogSegments(),
                    "every segment of snapshot " + id + " came in three parts or more: " + result);
            try (RocksDbStateBackend backend = backend(restored).build();
                 SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
                for (int k = 0; k < 25; k++) {
                    int writtenIn = lastSnapshotWriting(notesPerSnapshot, id, k);
                    byte[] want = writtenIn == 0 ? null : smallNoteOf(writtenIn, k);
                    assertArrayEquals(want, store.get(keyGroup(counter(k)), counter(k), NOTE, 0),
                            "snapshot " + id + " note " + k);
                }
            }
        }
    }

    /** @return the last snapshot up to {@code id} whose interval wrote note {@code k}, or 0 if none did */
    private static int lastSnapshotWriting(int[] notesPerSnapshot, int id, int k) {
        for (int s = id; s >= 1; s--) {
            if (k < notesPerSnapshot[s - 1]) {
                return s;
            }
        }
        return 0;
    }

    private static byte[] smallNoteOf(int snapshot, int k) {
        return (snapshot + "/" + k + ":").repeat(1 << 10).getBytes(StandardCharsets.UTF_8); // ~4-5 KiB
    }

    private static byte[] noteOf(int snapshot, int k) {
        return (snapshot + "/" + k + ":").repeat(256 << 8).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * When background checkpoints cannot be taken over (here the store refuses to share their files), segments pile
     * up only to 3 times {@code checkpointEvery}: then a snapshot is taken full, and the next builds on it.
     */
    @Test
    void segmentsPileUpOnlyToTheirBoundWhenNoCheckpointCanBeTakenOver() throws Exception {
        int snapshots = 10;
        LocalFolderSnapshotStore folder = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        SnapshotStore snapshotStore = new CheckpointRefusingStore(folder);
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore)
                .retainedSnapshots(100).checkpointEvery(2).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= snapshots; id++) {
                writeCounters(store, id);
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
        List<Long> segmentsPerSnapshot = new ArrayList<>();
        for (long id = 1; id <= snapshots; id++) {
            segmentsPerSnapshot.add(folder.list(id).stream().filter(f -> f.contains("/stator-changelog-")).count());
        }
        // 1 to 6 segments on the empty start, then snapshot 7 would hold 7: it is full, and 8-10 log on top of it.
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 0L, 1L, 2L, 3L), segmentsPerSnapshot);
        assertEquals(10, restoredMultiplier(folder, snapshots));
    }

    /** Where a background checkpoint fails. */
    enum CheckpointFailure {
        /** The snapshot store refuses its files ("No space left on device"). */
        UPLOAD,
        /** RocksDB cannot create it: a file is in the way of its staging folder. */
        LOCAL
    }

    /**
     * A background checkpoint that fails, locally or on its way to the store, fails no snapshot: the changelog chain
     * it would have shortened stays, every snapshot restores exactly, and once the failures stop a later checkpoint
     * is stored and taken over.
     */
    @ParameterizedTest
    @EnumSource(CheckpointFailure.class)
    void aBackgroundCheckpointThatFailsLosesNothingAndIsTakenAgain(CheckpointFailure failure) throws Exception {
        int failingUpTo = 4; // fewer segments than the bound (3 x checkpointEvery) that makes a snapshot full
        int snapshots = 10;
        LocalFolderSnapshotStore folder = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        CheckpointFailingStore snapshotStore = new CheckpointFailingStore(folder);
        snapshotStore.failing = failure == CheckpointFailure.UPLOAD;
        List<Path> inTheWay = new ArrayList<>();
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore)
                .retainedSnapshots(100).checkpointEvery(2).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            if (failure == CheckpointFailure.LOCAL) {
                Path checkpoints = dir.resolve("data").resolve("checkpoints").resolve("partition-0");
                Files.createDirectories(checkpoints);
                for (int id = 1; id <= failingUpTo; id++) { // the checkpoint after snapshot N stages in N.tmp
                    inTheWay.add(Files.writeString(checkpoints.resolve(id + ".tmp"), "in the way"));
                }
            }
            for (int id = 1; id <= snapshots; id++) {
                if (id == failingUpTo + 1) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                    while (snapshotStore.failing && snapshotStore.refused.get() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(5); // the upload of the checkpoint after snapshot 2 runs in the background
                    }
                    snapshotStore.failing = false;
                    for (Path file : inTheWay) {
                        Files.delete(file);
                    }
                }
                if (id == 1) {
                    for (int i = 0; i < 500; i++) { // written once: only the oldest segment or a checkpoint holds them
                        Address a = counter(COLD_KEYS + i);
                        store.put(keyGroup(a), a, COUNT, longValue(i), 0);
                    }
                }
                writeCounters(store, id);
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            assertEquals(0, store.metrics().snapshotsFailed());
        }
        if (failure == CheckpointFailure.UPLOAD) {
            assertTrue(snapshotStore.refused.get() > 0, "a background checkpoint was tried while the store refused it");
        }
        for (long id = 1; id <= failingUpTo; id++) {
            assertTrue(folder.list(id).stream().noneMatch(f -> f.contains("/MANIFEST-")),
                    "snapshot " + id + " holds no checkpoint: " + folder.list(id));
        }
        List<String> last = folder.list(snapshots);
        assertTrue(last.stream().anyMatch(f -> f.contains("/MANIFEST-")),
                "a background checkpoint taken after the failures stopped is taken over: " + last);
        assertTrue(last.stream().filter(f -> f.contains("/stator-changelog-")).count() < snapshots - failingUpTo,
                "and the segments it covers are dropped: " + last);
        for (long id = 1; id <= snapshots; id++) {
            assertEquals(id, restoredMultiplier(folder, id), "snapshot " + id);
            try (RocksDbStateBackend backend = backend(dir.resolve("r" + id)).build();
                 SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
                for (int i = 0; i < 500; i++) {
                    Address a = counter(COLD_KEYS + i);
                    assertArrayEquals(longValue(i), store.get(keyGroup(a), a, COUNT, 0), "snapshot " + id + ": " + a);
                }
            }
        }
    }

    /**
     * The metrics tell while a snapshot's state is still being written (here the store holds its writes back), so
     * that the runtime can hold the next snapshot back instead of stopping the partition at its barrier.
     */
    @Test
    void theMetricsTellWhileASnapshotIsStillBeingWritten() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SnapshotStore held = new ForwardingSnapshotStore(new LocalFolderSnapshotStore(dir.resolve("snapshots"))) {
            @Override
            public long write(long snapshotId, String path, InputStream content) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                return delegate.write(snapshotId, path, content);
            }

            @Override
            public String describe() {
                return "held " + delegate.describe();
            }
        };
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(held).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            assertFalse(store.metrics().snapshotWriting(), "no snapshot yet");
            writeCounters(store, 1);
            SnapshotHandle handle = store.snapshot(1);
            try {
                assertTrue(store.metrics().snapshotWriting(), "the writer cannot be done: the store holds its writes");
            } finally {
                release.countDown(); // else closing the store would wait for the writer forever
            }
            handle.completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (store.metrics().snapshotWriting() && System.nanoTime() < deadline) {
                Thread.sleep(1); // the entries reach RocksDB just after the snapshot completes
            }
            assertFalse(store.metrics().snapshotWriting(), "written");
        }
    }

    /** A local folder store whose writes under a background checkpoint's folder fail while {@link #failing}. */
    private static final class CheckpointFailingStore extends ForwardingSnapshotStore {
        volatile boolean failing;
        final AtomicInteger refused = new AtomicInteger();

        CheckpointFailingStore(LocalFolderSnapshotStore folder) {
            super(folder);
        }

        @Override
        public long write(long snapshotId, String path, InputStream content) throws IOException {
            if (failing && path.contains(".checkpoint/")) {
                refused.incrementAndGet();
                throw new IOException("No space left on device");
            }
            return delegate.write(snapshotId, path, content);
        }

        @Override
        public boolean copyWithin(long fromSnapshotId, String fromPath, long toSnapshotId, String toPath)
                throws IOException {
            return delegate.copyWithin(fromSnapshotId, fromPath, toSnapshotId, toPath);
        }

        @Override
        public String describe() {
            return "checkpoint-failing " + delegate.describe();
        }
    }

    /** Restores a 500-counter snapshot and returns the multiplier its counters hold. */
    private long restoredMultiplier(SnapshotStore snapshotStore, long id) throws Exception {
        Path restored = dir.resolve("r" + id);
        new StateRestorer(snapshotStore).restore(id, restored, 1, MAX_PARALLELISM);
        try (RocksDbStateBackend backend = backend(restored).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            long multiplier = decodeLong(store.get(keyGroup(counter(1)), counter(1), COUNT, 0));
            for (int i = 0; i < 500; i++) {
                assertEquals(i * multiplier, decodeLong(store.get(keyGroup(counter(i)), counter(i), COUNT, 0)),
                        "counter " + i);
            }
            return multiplier;
        }
    }

    /** A local folder store that will not share a background checkpoint's files with a later snapshot. */
    private static final class CheckpointRefusingStore extends ForwardingSnapshotStore {
        CheckpointRefusingStore(LocalFolderSnapshotStore folder) {
            super(folder);
        }

        @Override
        public boolean copyWithin(long fromSnapshotId, String fromPath, long toSnapshotId, String toPath)
                throws IOException {
            return !fromPath.contains(".checkpoint/")
                    && delegate.copyWithin(fromSnapshotId, fromPath, toSnapshotId, toPath);
        }

        @Override
        public boolean link(long snapshotId, String path, Path file) throws IOException {
            return delegate.link(snapshotId, path, file);
        }

        @Override
        public String describe() {
            return "checkpoint-refusing " + delegate.describe();
        }
    }

    @Test
    void aDamagedSegmentIsRefusedByName() throws Exception {
        LocalFolderSnapshotStore snapshotStore = new LocalFolderSnapshotStore(dir.resolve("snapshots"));
        try (RocksDbStateBackend backend = backend(dir.resolve("data")).snapshotStore(snapshotStore).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (int id = 1; id <= 2; id++) {
                store.put(keyGroup(counter(1)), counter(1), COUNT, longValue(id), 0);
                store.snapshot(id).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
        String segment = snapshotStore.list(2).stream().filter(f -> f.contains("/stator-changelog-")).findFirst()
                .orElseThrow();
        Path file = snapshotStore.pathOf(2, segment);
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file); // a link shared with nothing else here, but do not write through it
        bytes[bytes.length - 1] ^= 0x5A;
        Files.write(file, bytes);
        SnapshotCorruptedException e = assertThrows(SnapshotCorruptedException.class,
                () -> new StateRestorer(snapshotStore).restore(2, dir.resolve("r"), 1, MAX_PARALLELISM));
        assertTrue(e.getMessage().contains(segment) && e.getMessage().contains("CRC32C"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("r").resolve("partition-0")), "nothing is left half restored");
    }

    /** Puts {@code i * multiplier} into counters 0..499. */
    /**
     * Opens one store of every key group on {@code dataDir} and, for each snapshot id from {@code firstId} to
     * {@code lastId}, writes the counters times the id and takes the snapshot (asking for a checkpoint at
     * {@code checkpointId}).
     */
    private static void snapshotCounters(Path dataDir, SnapshotStore snapshotStore, long firstId, long lastId,
            long checkpointId) throws Exception {
        try (RocksDbStateBackend backend = backend(dataDir).snapshotStore(snapshotStore).retainedSnapshots(100).build();
             SnapshottableStateStore store = StateFixtures.openWhole(backend)) {
            for (long id = firstId; id <= lastId; id++) {
                writeCounters(store, id);
                store.snapshot(id, id == checkpointId).completion().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private static void writeCounters(SnapshottableStateStore store, long multiplier) {
        for (int i = 0; i < 500; i++) {
            store.put(keyGroup(counter(i)), counter(i), COUNT, longValue(i * multiplier), 0);
        }
    }

    private static void assertHolds(Path dataDir, int partitions, Expected expected, String what) {
        try (RocksDbStateBackend backend = backend(dataDir).build()) {
            for (int p = 0; p < partitions; p++) {
                KeyGroupRange range = KeyGroups.rangeFor(p, partitions, MAX_PARALLELISM);
                try (SnapshottableStateStore store = backend.openPartition(p, range)) {
                    for (int k = 0; k < KEYS; k++) {
                        Address a = counter(k);
                        if (!range.contains(keyGroup(a))) {
                            continue;
                        }
                        byte[] count = store.get(keyGroup(a), a, COUNT, 0);
                        Long want = expected.counts().get(k);
                        if (want == null) {
                            assertNull(count, what + ": " + a + " was deleted or never written");
                        } else {
                            assertEquals(want, decodeLong(count), what + ": " + a);
                        }
                        byte[] note = store.get(keyGroup(a), a, NOTE, 0);
                        String wantNote = expected.notes().get(k);
                        assertArrayEquals(wantNote == null ? null : wantNote.getBytes(StandardCharsets.UTF_8), note,
                                what + ": note of " + a + " " + (note == null ? "null" : Arrays.toString(
                                        Arrays.copyOf(note, 8))));
                    }
                }
            }
        }
    }
}
