package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.runtime.snapshot.TimerFiles;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.LocalFolderSnapshotStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition's delayed messages go through its chain of timer files and come back as they were pending at the
 * snapshot restored: every file read in order, each timer once, and damage named.
 */
class TimerChainTest {
    private static final TypeName FN = TypeName.typeNameOf("test", "fn");
    private static final TypeName VALUE = TypeName.typeNameOf("test", "value");

    @TempDir
    Path dir;

    @Test
    void aChainOfChangesRestoresExactlyThePendingTimers() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        DelayedMessages delayed = new DelayedMessages();
        TimerChain chain = new TimerChain(0);
        for (int i = 0; i < 10; i++) {
            delayed.schedule(i % 2 == 0 ? "t" + i : null, 1_000 + i, envelope("a" + i, "v" + i));
        }
        store(store, chain, 1, delayed.capture(false)); // the first capture lists every timer

        delayed.cancel(new Address(FN, "from-a0"), "t0"); // in the first file
        delayed.schedule("x", 5_000, envelope("b", "set then cancelled"));
        delayed.cancel(new Address(FN, "from-b"), "x"); // set and cancelled between two snapshots
        delayed.schedule(null, 6_000, envelope("c", "kept"));
        store(store, chain, 2, delayed.capture(false));

        List<String> fired = new ArrayList<>();
        delayed.poll(1_005, e -> fired.add(new String(e.rawValue(), StandardCharsets.UTF_8)), 100); // fires 1..5
        assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), fired);
        PartitionSnapshot.TimerLog stored = store(store, chain, 3, delayed.capture(false));

        assertEquals(3, stored.files().length, "the first file and two of changes");
        assertTrue(Files.exists(dir.resolve("3").resolve(TimerFiles.path(0, 1))), "earlier files are carried");
        assertEquals(Set.of("v6", "v7", "v8", "v9", "kept"), values(restore(store, 3, stored)));
        assertEquals(List.of(1, 1), recordsIn(2, 2),
                "the second file: t0's removal and c; x, set and cancelled between snapshots, is in no file");
    }

    @Test
    void aFullListStartsTheChainOverAndNoTimerNeedsNoFile() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        DelayedMessages delayed = new DelayedMessages();
        TimerChain chain = new TimerChain(0);
        delayed.schedule(null, 1_000, envelope("a", "one"));
        store(store, chain, 1, delayed.capture(false));
        delayed.schedule(null, 2_000, envelope("b", "two"));
        store(store, chain, 2, delayed.capture(false));

        PartitionSnapshot.TimerLog full = store(store, chain, 3, delayed.capture(true));
        assertEquals(1, full.files().length);
        assertEquals(Set.of("one", "two"), values(restore(store, 3, full)));

        delayed.poll(5_000, e -> { }, 100);
        assertEquals(0, store(store, chain, 4, delayed.capture(false)).files().length);
        delayed.schedule(null, 9_000, envelope("c", "three"));
        PartitionSnapshot.TimerLog after = store(store, chain, 5, delayed.capture(false));
        assertEquals(Set.of("three"), values(restore(store, 5, after)), "changes after an empty chain need no base");
    }

    @Test
    void aRestoredChainGoesOnWithTheTimersIdsAndOnlyWhatChanged() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        DelayedMessages before = new DelayedMessages();
        TimerChain chain = new TimerChain(0);
        for (int i = 0; i < 5; i++) { // due in the opposite order of their ids: numbered anew, they would differ
            before.schedule("t" + i, 1_000 - i, envelope("a" + i, "v" + i));
        }
        store(store, chain, 1, before.capture(false));
        before.schedule(null, 2_000, envelope("b", "later"));
        PartitionSnapshot.TimerLog stored = store(store, chain, 2, before.capture(false));

        PartitionSnapshot.TimerLog restored = TimerFiles.restore(store, 2, new PartitionSnapshot(0, 2, 1, 128, 0,
                List.of(), List.of(), stored, PartitionSnapshot.Backlog.NONE)).timers();
        DelayedMessages after = new DelayedMessages();
        after.restore(restored.entries(), true);
        TimerChain resumed = new TimerChain(0);
        resumed.resume(2, restored);
        after.cancel(new Address(FN, "from-a3"), "t3");
        after.schedule(null, 3_000, envelope("c", "new")); // its id follows the restored ones
        PartitionSnapshot.TimerLog next = after.capture(false);
        assertFalse(next.full(), "the first snapshot after the restore lists what changed");
        PartitionSnapshot.TimerLog third = store(store, resumed, 3, next);

        assertEquals(3, third.files().length, "the restored chain's two files, and the changes");
        assertEquals(List.of(1, 1), recordsIn(3, 3));
        assertEquals(Set.of("v0", "v1", "v2", "v4", "later", "new"), values(restore(store, 3, third)));
    }

    @Test
    void timersNumberedAnewByARestoreAreWrittenWithTheFirstChangesNotListedByThePartition() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        List<PartitionSnapshot.Timer> fromTwoOldPartitions = List.of( // both numbered 0: ids must be made anew
                new PartitionSnapshot.Timer(0, 1_000, "t", envelope("a", "one")),
                new PartitionSnapshot.Timer(0, 2_000, "t", envelope("b", "two")),
                new PartitionSnapshot.Timer(1, 3_000, null, envelope("c", "three")));
        DelayedMessages delayed = new DelayedMessages();
        TimerChain chain = new TimerChain(0);
        chain.startFrom(delayed.restore(fromTwoOldPartitions, false));
        delayed.cancel(new Address(FN, "from-b"), "t");
        delayed.schedule(null, 4_000, envelope("d", "four"));
        PartitionSnapshot.TimerLog changes = delayed.capture(false);
        assertFalse(changes.full(), "the partition lists only what changed since the restore");

        PartitionSnapshot.TimerLog first = store(store, chain, 7, changes);
        assertEquals(1, first.files().length);
        assertEquals(List.of(0, 3), recordsIn(7, 7), "one file holding every pending timer, no removal");
        assertEquals(Set.of("one", "three", "four"), values(restore(store, 7, first)));
    }

    @Test
    void restoredTimersAreStoredBytesThatTheirTokensStillCancel() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        DelayedMessages delayed = new DelayedMessages();
        TimerChain chain = new TimerChain(0);
        for (int i = 0; i < 3; i++) { // found again by hashes made from the stored bytes, also of names not ASCII
            Address self = new Address(FN, "cart-" + i + (i == 1 ? "-ü" : ""));
            delayed.schedule(new String(i == 2 ? "idlé" : "idle"), 1_000 + i,
                    new Envelope(0, self, self, VALUE, new byte[] {(byte) i}));
        }
        PartitionSnapshot.TimerLog captured = delayed.capture(false);
        List<PartitionSnapshot.Timer> restored = restore(store, 1, store(store, chain, 1, captured));
        assertEquals(Set.copyOf(captured.entries()), Set.copyOf(restored), "each entry as it was captured");

        DelayedMessages after = new DelayedMessages();
        after.restore(restored, true);
        Address second = new Address(FN, "cart-1-ü");
        assertTrue(after.isPending(second, "idle"));
        assertTrue(after.isPending(new Address(FN, "cart-2"), "idlé"));
        assertFalse(after.isPending(new Address(FN, "cart-2"), "idle"));
        assertFalse(after.isPending(second, "busy"));
        assertFalse(after.isPending(new Address(FN, "cart-3"), "idle"));
        after.cancel(second, "idle");
        assertFalse(after.isPending(second, "idle"));
        List<Envelope> fired = new ArrayList<>();
        assertEquals(2, after.poll(2_000, fired::add, 10));
        assertEquals(List.of("cart-0", "cart-2"), fired.stream().map(e -> e.targetAddress().id()).toList());
        for (Envelope e : fired) {
            assertSame(e.targetAddress(), e.caller(), "a reminder's sender is its target");
        }
    }

    @Test
    void changesWithoutACompletedBaseAreRefused() {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        PartitionSnapshot.TimerLog changes = new PartitionSnapshot.TimerLog(
                List.of(new PartitionSnapshot.Timer(7, 1_000, null, envelope("a", "v"))), new long[0], false, 1,
                new long[0], 0);
        assertThrows(IllegalStateException.class, () -> new TimerChain(0).store(store, 1, changes));
    }

    @Test
    void aChainWantsAFullListOnceItHoldsMostlyTimersLongGone() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        DelayedMessages delayed = new DelayedMessages();
        TimerChain chain = new TimerChain(0);
        delayed.schedule(null, Long.MAX_VALUE / 2, envelope("kept", "kept"));
        store(store, chain, 1, delayed.capture(false));
        assertFalse(chain.wantsFull(1));
        long id = 2;
        for (int round = 0; round < 3; round++, id++) { // each timer lives through one snapshot, then is cancelled
            for (int i = 0; i < 30_000; i++) {
                delayed.schedule("t" + i, 10_000, envelope("a" + i, "v"));
            }
            store(store, chain, id, delayed.capture(false));
            for (int i = 0; i < 30_000; i++) {
                delayed.cancel(new Address(FN, "from-a" + i), "t" + i);
            }
        }
        assertTrue(chain.wantsFull(1), "150,000 records for one pending timer");
    }

    @Test
    void aDamagedOrMissingFileIsNamed() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        DelayedMessages delayed = new DelayedMessages();
        TimerChain chain = new TimerChain(0);
        delayed.schedule(null, 1_000, envelope("a", "one"));
        PartitionSnapshot.TimerLog log = store(store, chain, 1, delayed.capture(false));

        Path file = dir.resolve("1").resolve(TimerFiles.path(0, 1));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class, () -> restore(store, 1, log));
        assertTrue(damaged.getMessage().contains("partition-0.timers-1 fails its checksum"), damaged.getMessage());

        Files.delete(file);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> restore(store, 1, log));
        assertTrue(missing.getMessage().contains("is missing runtime/partition-0.timers-1"), missing.getMessage());
    }

    @Test
    void logsThatOutgrowThePendingTimersAreDroppedForAFullList() {
        DelayedMessages delayed = new DelayedMessages();
        delayed.capture(false);
        for (int i = 0; i <= DelayedMessages.SLACK_CHANGES; i++) { // snapshots never come: set, then fire
            delayed.schedule(null, i, envelope("a", "v"));
            delayed.poll(i, e -> { }, 10);
        }
        delayed.schedule(null, 1L << 40, envelope("b", "pending"));
        PartitionSnapshot.TimerLog log = delayed.capture(false);
        assertTrue(log.full(), "the logs were dropped: the next capture lists the pending timers");
        assertEquals(1, log.entries().size());
    }

    private static PartitionSnapshot.TimerLog store(LocalFolderSnapshotStore store, TimerChain chain, long id,
            PartitionSnapshot.TimerLog log) throws IOException {
        PartitionSnapshot.TimerLog stored = chain.store(store, id, log);
        chain.completed(id);
        return stored;
    }

    private static List<PartitionSnapshot.Timer> restore(LocalFolderSnapshotStore store, long id,
            PartitionSnapshot.TimerLog log) throws IOException {
        PartitionSnapshot part = new PartitionSnapshot(0, id, 1, 128, 0, List.of(), List.of(), log,
                PartitionSnapshot.Backlog.NONE);
        return TimerFiles.restore(store, id, part).timers().entries();
    }

    /** The removals and the timers in the file snapshot {@code first} wrote, as snapshot {@code snapshot} holds it. */
    private List<Integer> recordsIn(long snapshot, long first) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(Long.toString(snapshot)).resolve(TimerFiles.path(0, first)));
        org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(bytes);
        int removed = b.getInt(24, java.nio.ByteOrder.LITTLE_ENDIAN);
        return List.of(removed, b.getInt(28 + 8 * removed, java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    private static Set<String> values(List<PartitionSnapshot.Timer> timers) {
        Set<String> out = new TreeSet<>();
        for (PartitionSnapshot.Timer t : timers) {
            out.add(new String(t.message().rawValue(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Envelope envelope(String id, String value) {
        return new Envelope(0, new Address(FN, id), new Address(FN, "from-" + id), VALUE,
                value.getBytes(StandardCharsets.UTF_8));
    }
}
