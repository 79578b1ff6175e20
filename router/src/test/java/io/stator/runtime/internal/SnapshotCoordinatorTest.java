package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.EgressSink;
import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.runtime.snapshot.SnapshotManifest;
import io.stator.sdk.EgressMessage;
import io.stator.state.LocalFolderSnapshotStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the coordinator starts snapshots and what it commits, on a clock moved by hand: the README promises that
 * snapshots start one interval apart, start to start, so that output commits every interval.
 */
class SnapshotCoordinatorTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL_MS = 100;

    private final ManyToOneRingBuffer[] inboxes = {inbox(), inbox()};
    private final List<Long> commits = new CopyOnWriteArrayList<>();
    private long now;
    private final SnapshotCoordinator coordinator = new SnapshotCoordinator(inboxes, new CommitRecorder(), null,
            INTERVAL_MS, 0, 3, 128, null, null, () -> now);

    @Test
    void snapshotsStartOneIntervalApartStartToStart() {
        at(99);
        assertEquals(List.of(), barriers(0), "no snapshot before the first interval has passed");
        at(100);
        assertEquals(List.of(1L), barriers(0));
        assertEquals(List.of(1L), barriers(1));

        reportAll(1);
        at(160); // snapshot 1 took 60 ms
        assertEquals(List.of(0L), commits, "snapshot 1 commits the epoch before it");

        at(199);
        assertEquals(List.of(), barriers(0), "start to start: not due before 200 ms");
        at(200);
        assertEquals(List.of(2L), barriers(0), "due at 200 ms, not 100 ms after snapshot 1 ended (260 ms)");
        assertEquals(List.of(2L), barriers(1));
    }

    @Test
    void aSnapshotThatOverranItsIntervalIsFollowedAtOnceAndTheRateResumesFromThere() {
        at(100);
        barriers(0);
        barriers(1);
        reportAll(1);
        at(250); // 150 ms: snapshot 2 was due at 200
        assertEquals(List.of(0L), commits);
        assertEquals(List.of(2L), barriers(0), "the overdue snapshot starts as soon as the last one completed");

        reportAll(2);
        at(300);
        assertEquals(List.of(0L, 1L), commits);
        assertEquals(100 * MS, coordinator.status().meanDurationNanos(), "snapshots of 150 and 50 ms");
        assertEquals(150 * MS, coordinator.status().maxDurationNanos());
        assertEquals(50 * MS, coordinator.status().durationNanos(), "the last one");
        at(349);
        assertEquals(List.of(), barriers(0), "the next is due one interval after snapshot 2 started (350 ms)");
        at(350);
        assertEquals(List.of(3L), barriers(0));
    }

    /**
     * With {@code snapshotWhenQuiet(10 ms)} and a 100 ms interval: output that goes still for 10 ms, and is still
     * at a second look 5 ms later, is committed at once; but not within a quarter interval of the last start, not
     * without output, and not while it flows.
     */
    @Test
    void aSnapshotStartsEarlyOnceOutputWentQuietAndOnlyThen() {
        long[] emitted = {0};
        coordinator.snapshotWhenQuiet(() -> emitted[0], 10);
        at(50);
        assertEquals(List.of(), barriers(0), "nothing emitted, nothing to commit early");
        at(100);
        assertStartedThenReport(1, "the interval's snapshot");
        at(101);

        emitted[0] = 5;
        at(110);
        emitted[0] = 9;
        at(118);
        at(127);
        assertEquals(List.of(), barriers(0), "still for 9 ms only");
        at(128);
        assertEquals(List.of(), barriers(0), "still for 10 ms, seen once: it could be a pause of the whole process");
        at(132);
        assertEquals(List.of(), barriers(0), "the second look comes half the quiet period later");
        at(133);
        assertStartedThenReport(2, "still at a second look, 33 ms after snapshot 1 started");
        at(134);
        assertEquals(List.of(0L, 1L), commits, "snapshot 2 commits the burst's epoch");
        at(150);
        assertEquals(List.of(), barriers(0), "nothing emitted since snapshot 2 started");

        emitted[0] = 10;
        at(151);
        at(165); // still for 14 ms: seen once
        emitted[0] = 11; // moved again before the second look
        at(170);
        at(180);
        assertEquals(List.of(), barriers(0), "output moved between the two looks");
        at(185);
        assertStartedThenReport(3);
        at(186);

        emitted[0] = 12;
        at(187);
        at(205);
        at(209);
        assertEquals(List.of(), barriers(0), "still for 22 ms, but only 24 ms after snapshot 3 started");
        at(210);
        at(215);
        assertStartedThenReport(4, "a quarter interval (25 ms) after snapshot 3 started, and a second look");

        for (long t = 220; t < 315; t += 5) { // output that never stops keeps the interval
            emitted[0]++;
            at(t);
        }
        assertEquals(List.of(), barriers(0), "no early snapshot while output flows");
        at(315);
        assertEquals(List.of(5L), barriers(0), "the interval's, 100 ms after snapshot 4 started");
    }

    /**
     * A snapshot that is due while a partition's state store still writes the last snapshot's entries is held
     * until the writing is done: its barrier would stop that partition meanwhile. Requested ones too.
     */
    @Test
    void aDueSnapshotWaitsUntilNoPartitionStillWritesTheLastOnesState() {
        boolean[] writing = {false};
        coordinator.startOnceStateIsWritten(p -> writing[0]);
        at(100);
        assertStartedThenReport(1);
        at(110);
        assertEquals(List.of(0L), commits);

        writing[0] = true;
        at(200);
        at(240);
        assertEquals(List.of(), barriers(0), "due at 200 ms, held while a partition still writes snapshot 1's state");
        writing[0] = false;
        at(241);
        assertStartedThenReport(2, "started as soon as the writing is done");
        at(250);
        assertEquals(List.of(0L, 1L), commits);
        assertEquals(41 * MS, coordinator.status().heldNanos(), "snapshot 2 waited from 200 to 241 ms");
        at(340);
        assertEquals(List.of(), barriers(0), "the rate resumes from the held snapshot's start: 341 ms");
        at(341);
        assertStartedThenReport(3);

        writing[0] = true;
        coordinator.requestSnapshot();
        at(350);
        assertEquals(List.of(), barriers(0), "a requested snapshot is held too");
        writing[0] = false;
        at(351);
        assertEquals(List.of(4L), barriers(0));
    }

    /** An early snapshot held back, then no longer due (output moved again), was not held: it never started. */
    @Test
    void anEarlySnapshotHeldBackAndThenNoLongerDueCountsNoTimeHeld() {
        long[] emitted = {0};
        boolean[] writing = {false};
        coordinator.snapshotWhenQuiet(() -> emitted[0], 10);
        coordinator.startOnceStateIsWritten(p -> writing[0]);
        at(100);
        assertStartedThenReport(1);
        at(101);
        emitted[0] = 5;
        at(102);
        writing[0] = true;
        at(140);
        at(145);
        assertEquals(List.of(), barriers(0), "quiet at a second look, but held back");
        emitted[0] = 6;
        at(150);
        writing[0] = false;
        at(151);
        assertEquals(List.of(), barriers(0), "output moved: not due any more");
        at(200);
        assertStartedThenReport(2, "the interval's");
        at(210);
        assertEquals(0, coordinator.status().heldNanos(), "snapshot 2 started when due");
    }

    /**
     * A snapshot held back for a state writer that does not finish (a stalled disk, say) commits no output: after
     * ten seconds, and every ten seconds after, a warning names the partition whose store is still writing.
     */
    @Test
    void aSnapshotHeldBackForTenSecondsIsWarnedAboutNamingThePartitionStillWriting() {
        List<String> warnings = new ArrayList<>();
        coordinator.warnTo(warnings::add);
        boolean[] writing = {false, false};
        coordinator.startOnceStateIsWritten(p -> writing[p]);
        at(100);
        assertStartedThenReport(1);
        writing[1] = true;
        at(200);
        at(10_199);
        assertEquals(List.of(), warnings, "held back just under ten seconds");
        at(10_200);
        assertEquals(List.of("snapshot 2 is due and has been held back for 10.0 s, committing no output;"
                + " partition 1's state store is still writing snapshot 1's entries"), warnings);
        at(15_000);
        assertEquals(1, warnings.size(), "once per ten seconds");
        at(20_200);
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(1).contains("held back for 20.0 s"), warnings.get(1));
        writing[1] = false;
        at(20_201);
        assertStartedThenReport(2, "the writer is done");
        at(40_000);
        assertEquals(2, warnings.size(), "nothing is overdue any more");
    }

    /** A running snapshot that does not complete in ten seconds is warned about, with what it still waits for. */
    @Test
    void aSnapshotRunningForTenSecondsIsWarnedAboutWithWhatItWaitsFor() {
        List<String> warnings = new ArrayList<>();
        coordinator.warnTo(warnings::add);
        at(100);
        assertEquals(List.of(1L), barriers(0));
        assertEquals(List.of(1L), barriers(1));
        CompletableFuture<io.stator.state.SnapshotResult> upload = new CompletableFuture<>();
        coordinator.onPartitionSnapshot(new PartitionSnapshot(0, 1, inboxes.length, 128, -1, List.of(), List.of(),
                List.of()), new io.stator.state.SnapshotHandle(1, 0, 0, upload), 0);
        at(10_099);
        assertEquals(List.of(), warnings);
        at(10_100);
        assertEquals(List.of("snapshot 1 has run for 10.0 s and commits no output until it completes;"
                + " partition 0's state is still being stored; partition 1 has not taken its part yet"), warnings);
        coordinator.onPartitionSnapshot(new PartitionSnapshot(1, 1, inboxes.length, 128, -1, List.of(), List.of(),
                List.of()), null, 0);
        at(20_100);
        assertEquals(2, warnings.size());
        assertEquals("snapshot 1 has run for 20.0 s and commits no output until it completes;"
                + " partition 0's state is still being stored", warnings.get(1));
        assertEquals(List.of(), commits);
        upload.completeExceptionally(new java.io.IOException("disk stalled"));
        at(20_101);
        assertEquals(-1, coordinator.status().lastId(), "the snapshot failed, and is not overdue any more");
        assertEquals(3, warnings.size());
        assertTrue(warnings.get(2).startsWith("snapshot 1 failed: "), warnings.get(2));
        at(25_000);
        assertEquals(3, warnings.size());
    }

    /** A full disk under the snapshot store fails a snapshot every interval: a warning per 10 s, not one each. */
    @Test
    void snapshotsThatKeepFailingAreWarnedAboutOncePerTenSeconds() {
        List<String> warnings = new ArrayList<>();
        coordinator.warnTo(warnings::add);
        long failedBefore = runFailing(0, 25_000);
        assertTrue(failedBefore > 100, "a snapshot failed every interval: " + failedBefore);
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("snapshot 1 failed: "), warnings.get(0));
        assertTrue(warnings.get(1).matches("\\d+ snapshots failed in a row over 10\\.\\d s, committing no output;"
                + " the latest, \\d+: .*no space left.*"), warnings.get(1));
        assertTrue(warnings.get(2).contains(" in a row over 20."), warnings.get(2));

        long next = failedBefore + 1;
        at(25_000 + INTERVAL_MS);
        assertStartedThenReport(next, "this one completes");
        at(25_000 + INTERVAL_MS + 1);
        assertEquals(next, coordinator.status().lastId());
        runFailing(25_000 + 2 * INTERVAL_MS, 26_000);
        assertEquals(4, warnings.size(), "after a completed snapshot, the next failure is warned about at once");
        assertTrue(warnings.get(3).startsWith("snapshot " + (next + 1) + " failed: "), warnings.get(3));
    }

    /**
     * Moves the clock from {@code fromMillis} to {@code toMillis} an interval at a time; every snapshot that starts
     * fails (partition 0's state cannot be stored).
     *
     * @return the id of the last snapshot that failed
     */
    private long runFailing(long fromMillis, long toMillis) {
        long last = 0;
        for (long t = fromMillis; t <= toMillis; t += INTERVAL_MS) {
            at(t);
            List<Long> started = barriers(0);
            barriers(1);
            for (long id : started) {
                coordinator.onPartitionSnapshot(new PartitionSnapshot(0, id, inboxes.length, 128, -1, List.of(),
                        List.of(), List.of()), new io.stator.state.SnapshotHandle(id, 0, 0,
                        CompletableFuture.failedFuture(new java.io.IOException("no space left on device"))), 0);
                coordinator.onPartitionSnapshot(new PartitionSnapshot(1, id, inboxes.length, 128, -1, List.of(),
                        List.of(), List.of()), null, 0);
                last = id;
            }
            at(t + 1);
        }
        return last;
    }

    @Test
    void aRequestedSnapshotStartsWithoutWaitingForTheInterval() {
        at(10);
        coordinator.requestSnapshot();
        at(11);
        assertEquals(List.of(1L), barriers(0));
        assertEquals(List.of(1L), barriers(1));
    }

    @Test
    void aMetadataWriteThatFailsFailsTheSnapshotAndTheNextCommitsBoth(@TempDir Path dir) throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        // A folder where partition 1's metadata file of snapshot 1 should go: the store cannot move the file there.
        Path blocked = store.pathOf(1, String.format(SnapshotCoordinator.META_FORMAT, 1));
        Files.createDirectories(blocked.resolve("in-the-way"));
        SnapshotCoordinator c = new SnapshotCoordinator(inboxes, new CommitRecorder(), store, INTERVAL_MS, 0, 3, 128,
                null, null, () -> now);
        at(c, 100);
        reportAll(c, 1);
        at(c, 110);
        assertFalse(c.inProgress());
        assertEquals(List.of(), commits, "a failed snapshot commits nothing");
        assertFalse(SnapshotManifest.exists(store, 1));
        String failure = c.status().lastFailure();
        assertTrue(failure.contains("cannot write runtime/partition-1.meta of snapshot 1"), failure);

        at(c, 200);
        reportAll(c, 2);
        at(c, 210);
        assertEquals(List.of(1L), commits, "the next snapshot commits the epochs in between too");
        assertTrue(SnapshotManifest.exists(store, 2));
        assertEquals(1, c.status().completed());
        assertEquals(1, c.status().failures());
    }

    /**
     * Partition 0 holds remote invocations; its snapshots after the first write only what arrived. A backlog file
     * is carried while it holds an invocation still held, and dropped once all of them finished; a failed snapshot,
     * whose files are in no chain, and a checkpoint both ask for the whole backlog next.
     */
    @Test
    void backlogFilesAreCarriedWhileNeededAndAFailureAsksForTheWholeBacklog(@TempDir Path dir) throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        SnapshotCoordinator c = new SnapshotCoordinator(inboxes, new CommitRecorder(), store, INTERVAL_MS, 0, 3, 128,
                null, null, () -> now);
        at(c, 100);
        report(c, 1, backlog(true, List.of(invocation("a", 0), invocation("b", 1)), 0, 1));
        at(c, 110);
        assertEquals(List.of(1L), backlogFiles(store, 1));
        assertFalse(c.wantsFullBacklog(0, 2), "a short chain: the next snapshot writes only what arrived");

        at(c, 200);
        report(c, 2, backlog(false, List.of(invocation("a", 2)), 0, 1));
        at(c, 210);
        assertEquals(List.of(1L, 2L), backlogFiles(store, 2), "file 1 still holds a and b's oldest");
        assertTrue(Files.exists(store.pathOf(2, io.stator.runtime.snapshot.BacklogFiles.path(0, 1))), "carried");

        at(c, 300);
        report(c, 3, backlog(false, List.of(invocation("c", 3)), 2, 3)); // a:0 and b:1 finished
        at(c, 310);
        assertEquals(List.of(2L, 3L), backlogFiles(store, 3), "file 1 holds nothing still held");
        List<String> held = new ArrayList<>();
        PartitionSnapshot restored = io.stator.runtime.snapshot.BacklogFiles.restore(store, 3,
                io.stator.runtime.snapshot.PartitionSnapshotCodec.decode(
                        Files.readAllBytes(store.pathOf(3, String.format(SnapshotCoordinator.META_FORMAT, 0))), "3"));
        restored.pending().forEach(e -> held.add(e.targetAddress().id()));
        assertEquals(List.of("a", "c"), held);

        Files.createDirectories(store.pathOf(4, String.format(SnapshotCoordinator.META_FORMAT, 1)).resolve("x"));
        at(c, 400);
        report(c, 4, backlog(false, List.of(invocation("c", 4)), 2, 3));
        at(c, 410);
        assertEquals(1, c.status().failures());
        assertTrue(c.wantsFullBacklog(0, 5), "snapshot 4's file is in no chain");

        at(c, 500);
        report(c, 5, backlog(true, List.of(invocation("a", 2), invocation("c", 3), invocation("c", 4)), 2, 3));
        at(c, 510);
        assertEquals(List.of(5L), backlogFiles(store, 5), "a whole backlog needs no earlier file");
        assertFalse(c.wantsFullBacklog(0, 6));

        c.requestSnapshot(true);
        at(c, 520);
        assertTrue(c.wantsFullBacklog(0, 6), "a checkpoint (savepoint, last snapshot) lists the whole backlog");
    }

    /**
     * An address that never finishes keeps its first file in the chain; each snapshot adds one. At
     * {@value BacklogChain#MAX_FILES} files (each read on restore) the next snapshot is asked for the whole backlog.
     */
    @Test
    void aChainOfSixteenFilesAsksForTheWholeBacklog(@TempDir Path dir) throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        SnapshotCoordinator c = new SnapshotCoordinator(inboxes, new CommitRecorder(), store, INTERVAL_MS, 0, 3, 128,
                null, null, () -> now);
        for (long id = 1; id <= BacklogChain.MAX_FILES; id++) {
            at(c, id * 100);
            // a:0 stays held; one more invocation for b arrives (and is held) each interval
            report(c, id, backlog(id == 1, id == 1 ? List.of(invocation("a", 0)) : List.of(invocation("b", id)),
                    0, 2));
            at(c, id * 100 + 10);
            assertEquals(id, c.status().lastId());
            assertEquals(id < BacklogChain.MAX_FILES, !c.wantsFullBacklog(0, id + 1), "after snapshot " + id);
        }
        assertEquals(BacklogChain.MAX_FILES, backlogFiles(store, BacklogChain.MAX_FILES).size());
    }

    @Test
    void aChainHoldingFarMoreEntriesThanAreStillHeldAsksForTheWholeBacklog(@TempDir Path dir) throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        SnapshotCoordinator c = new SnapshotCoordinator(inboxes, new CommitRecorder(), store, INTERVAL_MS, 0, 3, 128,
                null, null, () -> now);
        int entries = (int) BacklogChain.SLACK_ENTRIES + 3; // one more than twice a single held one plus the slack
        List<io.stator.remote.client.PendingRemoteInvocation> backlog = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            backlog.add(invocation("b", i));
        }
        at(c, 100);
        report(c, 1, backlog(true, backlog, 0));
        at(c, 110);
        assertFalse(c.wantsFullBacklog(0, 2), "every entry of the chain is still held");

        at(c, 200);
        report(c, 2, backlog(false, List.of(), entries - 1)); // b's replies came back for all but its last
        at(c, 210);
        assertEquals(2, c.status().lastId());
        assertEquals(List.of(1L), backlogFiles(store, 2), "the file is carried: it holds the one still held");
        assertTrue(c.wantsFullBacklog(0, 3), "the chain holds " + entries + " entries for 1 held invocation");
    }

    /**
     * A partition's timers between snapshots: a chain of a file per interval asks for every timer at
     * {@value TimerChain#MAX_FILES} files, and after a failed snapshot, whose file is in no chain; what the partition
     * then lists starts the chain over, and the restore reads exactly the pending timers.
     */
    @Test
    void timerChainsAskForEveryTimerWhenLongAndAfterAFailure(@TempDir Path dir) throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        SnapshotCoordinator c = new SnapshotCoordinator(inboxes, new CommitRecorder(), store, INTERVAL_MS, 0, 3, 128,
                null, null, () -> now);
        DelayedMessages delayed = new DelayedMessages();
        long id = 1;
        for (; id <= TimerChain.MAX_FILES; id++) { // one more timer each interval: one more file each snapshot
            // Due at Long.MAX_VALUE, as a delay past the end of time makes it: the timer wheel of before gave all
            // such timers one id, and a full list held one of them
            delayed.schedule(null, Long.MAX_VALUE, timer("t" + id));
            at(c, id * 100);
            reportTimers(c, id, delayed.capture(c.wantsAllTimers(0, id)));
            at(c, id * 100 + 10);
            assertEquals(id, c.status().lastId());
            assertEquals(id < TimerChain.MAX_FILES, !c.wantsAllTimers(0, id + 1), "after snapshot " + id);
        }
        at(c, id * 100);
        PartitionSnapshot.TimerLog all = delayed.capture(c.wantsAllTimers(0, id));
        assertTrue(all.full());
        reportTimers(c, id, all);
        at(c, id * 100 + 10);
        assertEquals(1, timerLog(store, id).files().length, "the chain started over");

        id++;
        delayed.schedule(null, Long.MAX_VALUE, timer("lost with its snapshot"));
        Files.createDirectories(store.pathOf(id, String.format(SnapshotCoordinator.META_FORMAT, 1)).resolve("x"));
        at(c, id * 100);
        reportTimers(c, id, delayed.capture(c.wantsAllTimers(0, id)));
        at(c, id * 100 + 10);
        assertEquals(1, c.status().failures());
        assertTrue(c.wantsAllTimers(0, id + 1), "the failed snapshot's file is in no chain");

        id++;
        at(c, id * 100);
        reportTimers(c, id, delayed.capture(c.wantsAllTimers(0, id)));
        at(c, id * 100 + 10);
        PartitionSnapshot.TimerLog stored = timerLog(store, id);
        assertEquals(TimerChain.MAX_FILES + 1, stored.live());
        PartitionSnapshot restored = io.stator.runtime.snapshot.TimerFiles.restore(store, id,
                new PartitionSnapshot(0, id, 2, 128, -1, List.of(), List.of(), stored, PartitionSnapshot.Backlog.NONE));
        assertEquals(TimerChain.MAX_FILES + 1, restored.timers().entries().size());
    }

    private static Envelope timer(String value) {
        io.stator.sdk.Address self = new io.stator.sdk.Address(io.stator.sdk.TypeName.typeNameOf("test", "fn"), "a");
        return new Envelope(0, self, self, io.stator.sdk.TypeName.typeNameOf("test", "value"),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Reports partition 0 with {@code timers} and partition 1 with none. */
    private void reportTimers(SnapshotCoordinator c, long snapshotId, PartitionSnapshot.TimerLog timers) {
        c.onPartitionSnapshot(new PartitionSnapshot(0, snapshotId, 2, 128, -1, List.of(), List.of(), timers,
                PartitionSnapshot.Backlog.NONE), null, 0);
        c.onPartitionSnapshot(new PartitionSnapshot(1, snapshotId, 2, 128, -1, List.of(), List.of(), List.of()),
                null, 0);
    }

    private static PartitionSnapshot.TimerLog timerLog(LocalFolderSnapshotStore store, long id) throws IOException {
        byte[] meta = Files.readAllBytes(store.pathOf(id, String.format(SnapshotCoordinator.META_FORMAT, 0)));
        return io.stator.runtime.snapshot.PartitionSnapshotCodec.decode(meta, "meta").timers();
    }

    private static io.stator.remote.client.PendingRemoteInvocation invocation(String id, long sequence) {
        return new io.stator.remote.client.PendingRemoteInvocation(1, new io.stator.remote.client.RemoteInvocation(
                new io.stator.sdk.Address(io.stator.sdk.TypeName.typeNameOf("test", "remote"), id), null,
                io.stator.sdk.TypeName.typeNameOf("test", "value"), new byte[] {(byte) sequence}, sequence));
    }

    private static PartitionSnapshot.Backlog backlog(boolean full,
            List<io.stator.remote.client.PendingRemoteInvocation> entries, long... heads) {
        return new PartitionSnapshot.Backlog(entries, full, heads, full ? entries.size() : heads.length, new long[0]);
    }

    /** Reports partition 0 with {@code backlog} and partition 1 with none. */
    private void report(SnapshotCoordinator c, long snapshotId, PartitionSnapshot.Backlog backlog) {
        c.onPartitionSnapshot(new PartitionSnapshot(0, snapshotId, 2, 128, -1, List.of(), List.of(),
                PartitionSnapshot.TimerLog.NONE, backlog), null, 0);
        c.onPartitionSnapshot(new PartitionSnapshot(1, snapshotId, 2, 128, -1, List.of(), List.of(), List.of()),
                null, 0);
    }

    /** @return the backlog files partition 0's metadata in snapshot {@code id} names */
    private static List<Long> backlogFiles(LocalFolderSnapshotStore store, long id) throws IOException {
        byte[] meta = Files.readAllBytes(store.pathOf(id, String.format(SnapshotCoordinator.META_FORMAT, 0)));
        List<Long> files = new ArrayList<>();
        for (long f : io.stator.runtime.snapshot.PartitionSnapshotCodec.decode(meta, "meta").backlog().files()) {
            files.add(f);
        }
        return files;
    }

    /** Moves the clock to {@code millis} and lets the coordinator work until it has nothing left to do. */
    private void at(long millis) {
        at(coordinator, millis);
    }

    private void at(SnapshotCoordinator c, long millis) {
        now = millis * MS;
        for (int i = 0; i < 10 && c.doWork() > 0; i++) {
            // bounded: each call does a step (barriers, reports, finish, start)
        }
    }

    private void assertStartedThenReport(long id) {
        assertStartedThenReport(id, "snapshot " + id + " starts");
    }

    /** Asserts that snapshot {@code id} just started (its barrier in both inboxes), then has both report it. */
    private void assertStartedThenReport(long id, String why) {
        assertEquals(List.of(id), barriers(0), why);
        assertEquals(List.of(id), barriers(1), why);
        reportAll(id);
    }

    private void reportAll(long snapshotId) {
        reportAll(coordinator, snapshotId);
    }

    private void reportAll(SnapshotCoordinator c, long snapshotId) {
        for (int p = 0; p < inboxes.length; p++) {
            c.onPartitionSnapshot(new PartitionSnapshot(p, snapshotId, inboxes.length, 128, -1, List.of(),
                    List.of(), List.of()), null, 0);
        }
    }

    /** @return the snapshot ids of the barriers waiting in a partition's inbox, which it consumes */
    private List<Long> barriers(int partition) {
        List<Long> ids = new ArrayList<>();
        inboxes[partition].read((type, buffer, index, length) -> {
            assertEquals(EnvelopeDescriptor.MSG_TYPE_BARRIER, type);
            ids.add(buffer.getLong(index, ByteOrder.LITTLE_ENDIAN));
        });
        return ids;
    }

    private static ManyToOneRingBuffer inbox() {
        return new ManyToOneRingBuffer(
                new UnsafeBuffer(ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    private final class CommitRecorder implements EgressSink {
        @Override
        public void emit(long epoch, EgressMessage message) {
            throw new AssertionError("nothing is emitted here");
        }

        @Override
        public void commit(long epoch) {
            commits.add(epoch);
        }
    }
}
