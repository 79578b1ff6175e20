package io.stator.runtime.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.remote.client.RemoteInvocation;
import io.stator.runtime.internal.Envelope;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.LocalFolderSnapshotStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition's metadata and backlog files go through the chunked streams and come back, whichever way the
 * stream is read, with records that cross chunk boundaries and a record larger than a chunk; and a restored
 * backlog holds exactly the invocations still held at the snapshot, per address in order, before the other
 * pending messages.
 */
class SnapshotFilesTest {
    private static final TypeName FN = TypeName.typeNameOf("test", "fn");
    private static final TypeName VALUE = TypeName.typeNameOf("test", "value");

    @TempDir
    Path dir;

    @Test
    void metadataComesBackFromEveryWayOfReadingTheStream() throws IOException {
        List<Envelope> pending = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // about 1 MB: many 64 KiB chunks
            Address caller = i % 3 == 0 ? new Address(FN, "caller-" + i) : null;
            pending.add(new Envelope(i % 128, new Address(FN, "key-" + (i / 100)), caller, VALUE, value(i, 16)));
        }
        pending.add(envelope(5, "big", 200_000)); // larger than a chunk
        List<Envelope> channel = List.of(envelope(3, "channel", 5));
        List<PartitionSnapshot.Timer> timers = List.of(
                new PartitionSnapshot.Timer(1234L, "token", envelope(4, "timer", 2)),
                new PartitionSnapshot.Timer(5678L, null, envelope(5, "timer-2", 0)));
        PartitionSnapshot.Backlog backlog = new PartitionSnapshot.Backlog(List.of(), false, new long[] {17, 3, 99},
                1234, new long[] {40, 41});
        PartitionSnapshot snapshot = new PartitionSnapshot(1, 42L, 2, 128, 999L, pending, channel, timers, backlog);

        byte[] whole = PartitionSnapshotCodec.encode(snapshot);
        assertArrayEquals(whole, transferred(PartitionSnapshotCodec.encoding(snapshot)));
        assertArrayEquals(whole, byteByByte(PartitionSnapshotCodec.encoding(snapshot)));

        PartitionSnapshot back = PartitionSnapshotCodec.decode(whole, "test");
        assertEquals(42L, back.snapshotId());
        assertEquals(999L, back.ingressPosition());
        assertEnvelopes(pending, back.pending());
        assertEnvelopes(channel, back.channel());
        assertEquals(2, back.timers().size());
        assertEquals("token", back.timers().get(0).token());
        assertEquals(5678L, back.timers().get(1).dueAtMillis());
        assertEquals(null, back.timers().get(1).token());
        assertSame(timers.get(1).message(), back.timers().get(1).message());
        assertArrayEquals(new long[] {17, 3, 99}, back.backlog().heads());
        assertEquals(1234, back.backlog().held());
        assertArrayEquals(new long[] {40, 41}, back.backlog().files());
    }

    @Test
    void aBacklogFileComesBackFromEveryWayOfReadingTheStream() throws IOException {
        List<PendingRemoteInvocation> entries = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            entries.add(invocation("key-" + (i / 100), i, 16));
        }
        entries.add(new PendingRemoteInvocation(5, new RemoteInvocation(new Address(FN, "big"), null, VALUE,
                value(7, 200_000), 20_000))); // larger than a chunk
        byte[] whole = transferred(BacklogFiles.encoding(0, 8, entries));
        assertArrayEquals(whole, byteByByte(BacklogFiles.encoding(0, 8, entries)));

        LongHashSet heads = new LongHashSet();
        heads.add(0); // key-0 holds everything from its first on; so does big; the other keys are done
        heads.add(20_000);
        List<Envelope> held = new ArrayList<>();
        BacklogFiles.readHeld(whole, "test", 0, heads, new HashSet<>(), held);
        assertEquals(101, held.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(new Address(FN, "key-0"), held.get(i).targetAddress());
            assertArrayEquals(value(i, 16), held.get(i).rawValue());
        }
        assertEquals(200_000, held.get(100).rawValue().length);
    }

    /**
     * Three snapshots of a backlog over addresses a, b, c: a full one, then two that record what arrived. By the
     * last, a has finished everything but its newest, b is half done, c is gone; the restored list is what is
     * still held, per address in order, then the partition's other pending messages.
     */
    @Test
    void aRestoredBacklogIsWhatWasHeldInOrderThenThePendingMessages() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        List<PendingRemoteInvocation> full = List.of(
                invocation("a", 0, 4), invocation("a", 2, 4), invocation("b", 1, 4), invocation("c", 3, 4));
        List<PendingRemoteInvocation> second = List.of(invocation("b", 4, 4), invocation("a", 5, 4));
        List<PendingRemoteInvocation> third = List.of(invocation("a", 6, 4), invocation("b", 7, 4));
        BacklogFiles.write(store, 10, 2, full);
        BacklogFiles.write(store, 11, 2, second);
        BacklogFiles.write(store, 12, 2, third);
        for (long first : new long[] {10, 11}) {
            assertTrue(store.copyWithin(first, 12, BacklogFiles.path(2, first)));
        }
        List<Envelope> local = List.of(envelope(9, "local", 1));
        // Held at snapshot 12: a from 6 on (6); b from 4 on (4, 7); c nothing.
        PartitionSnapshot.Backlog backlog = new PartitionSnapshot.Backlog(List.of(), false, new long[] {6, 4}, 3,
                new long[] {10, 11, 12});
        PartitionSnapshot part = new PartitionSnapshot(2, 12, 4, 128, 0, local, List.of(), List.of(), backlog);
        byte[] stored = PartitionSnapshotCodec.encode(part);

        PartitionSnapshot restored = BacklogFiles.restore(store, 12, PartitionSnapshotCodec.decode(stored, "test"));

        List<String> order = new ArrayList<>();
        for (Envelope e : restored.pending()) {
            order.add(e.targetAddress().id() + (e.rawValue().length == 4 ? ":" + e.rawValue()[0] : ""));
        }
        assertEquals(List.of("b:4", "a:6", "b:7", "local"), order);
        assertEquals(0, restored.backlog().files().length);
    }

    @Test
    void aMissingDamagedOrShortBacklogIsRefusedNamingTheFile() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir);
        BacklogFiles.write(store, 5, 0, List.of(invocation("a", 0, 4), invocation("a", 1, 4)));
        PartitionSnapshot part = new PartitionSnapshot(0, 5, 1, 128, 0, List.of(), List.of(), List.of(),
                new PartitionSnapshot.Backlog(List.of(), false, new long[] {0}, 2, new long[] {5}));

        assertEquals(2, BacklogFiles.restore(store, 5, part).pending().size());

        PartitionSnapshot claimsMore = part.withBacklog(
                new PartitionSnapshot.Backlog(List.of(), false, new long[] {0}, 3, new long[] {5}));
        IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
                () -> BacklogFiles.restore(store, 5, claimsMore));
        assertTrue(shortOne.getMessage().contains("hold 2 of its 3"), shortOne.getMessage());

        PartitionSnapshot missing = part.withBacklog(
                new PartitionSnapshot.Backlog(List.of(), false, new long[] {0}, 2, new long[] {4, 5}));
        IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                () -> BacklogFiles.restore(store, 5, missing));
        assertTrue(gone.getMessage().contains("missing runtime/partition-0.backlog-4"), gone.getMessage());

        Path file = dir.resolve("5").resolve(BacklogFiles.path(0, 5));
        byte[] bytes = Files.readAllBytes(file);
        bytes[30] ^= 1;
        Files.delete(file);
        Files.write(file, bytes);
        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
                () -> BacklogFiles.restore(store, 5, part));
        assertTrue(damaged.getMessage().contains("partition-0.backlog-5 fails its checksum"), damaged.getMessage());
    }

    @Test
    void aListThatChangesWhileEncodedFailsInsteadOfWritingAWrongCount() {
        List<Envelope> growing = new ArrayList<>(List.of(envelope(1, "a", 1)));
        List<Envelope> lying = new java.util.AbstractList<>() {
            @Override
            public Envelope get(int index) {
                return growing.get(index);
            }

            @Override
            public int size() {
                return 0; // announces none, iterates one
            }

            @Override
            public Iterator<Envelope> iterator() {
                return growing.iterator();
            }
        };
        PartitionSnapshot snapshot = new PartitionSnapshot(0, 1L, 1, 128, 0L, lying, List.of(), List.of());
        assertThrows(IllegalStateException.class, () -> PartitionSnapshotCodec.encode(snapshot));
    }

    /** Files from before backlogs had their own: version 1 has no backlog fields. */
    @Test
    void aVersionOneFileStillReads() {
        PartitionSnapshot snapshot = new PartitionSnapshot(0, 3L, 1, 128, 7L, List.of(envelope(1, "a", 2)),
                List.of(), List.of());
        byte[] v2 = PartitionSnapshotCodec.encode(snapshot);
        // An empty backlog is 4 + 8 + 4 bytes after the 36-byte header.
        byte[] v1 = new byte[v2.length - 16];
        System.arraycopy(v2, 0, v1, 0, 36);
        System.arraycopy(v2, 52, v1, 36, v2.length - 52);
        UnsafeBuffer b = new UnsafeBuffer(v1);
        b.putInt(4, 1, ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(v1, 0, v1.length - 4);
        b.putInt(v1.length - 4, (int) crc.getValue(), ByteOrder.LITTLE_ENDIAN);

        PartitionSnapshot back = PartitionSnapshotCodec.decode(v1, "old");
        assertEquals(7L, back.ingressPosition());
        assertEnvelopes(snapshot.pending(), back.pending());
        assertEquals(0, back.backlog().files().length);
    }

    private static byte[] transferred(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (in) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }

    private static byte[] byteByByte(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (in) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static PendingRemoteInvocation invocation(String id, long sequence, int size) {
        Address caller = sequence % 3 == 0 ? new Address(FN, "caller-" + sequence) : null;
        return new PendingRemoteInvocation((int) (sequence % 128),
                new RemoteInvocation(new Address(FN, id), caller, VALUE, value((int) sequence, size), sequence));
    }

    private static void assertEnvelopes(List<Envelope> expected, List<Envelope> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), actual.get(i));
        }
    }

    private static void assertSame(Envelope expected, Envelope actual) {
        assertEquals(expected.keyGroup(), actual.keyGroup());
        assertEquals(expected.targetAddress(), actual.targetAddress());
        assertEquals(expected.caller(), actual.caller());
        assertEquals(expected.valueTypeName(), actual.valueTypeName());
        assertArrayEquals(expected.rawValue(), actual.rawValue());
    }

    private static Envelope envelope(int keyGroup, String id, int size) {
        return new Envelope(keyGroup, new Address(FN, id), new Address(FN, "from-" + id), VALUE, value(keyGroup, size));
    }

    private static byte[] value(int seed, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return bytes;
    }
}
