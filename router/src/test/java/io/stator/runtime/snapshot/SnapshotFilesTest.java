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
        PartitionSnapshot.TimerLog timers = new PartitionSnapshot.TimerLog(List.of(), new long[0], false, 7,
                new long[] {40, 42}, 11);
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
        assertEquals(7, back.timers().live());
        assertArrayEquals(new long[] {40, 42}, back.timers().files());
        assertEquals(11, back.timers().records());
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
        PartitionSnapshot part = new PartitionSnapshot(2, 12, 4, 128, 0, local, List.of(),
                PartitionSnapshot.TimerLog.NONE, backlog);
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
        PartitionSnapshot part = new PartitionSnapshot(0, 5, 1, 128, 0, List.of(), List.of(),
                PartitionSnapshot.TimerLog.NONE, new PartitionSnapshot.Backlog(List.of(), false, new long[] {0}, 2, new long[] {5}));

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

    /** Files from before backlogs had their own: version 1 has no backlog fields, and lists its timers inline. */
    @Test
    void aVersionOneFileStillReads() {
        PartitionSnapshot snapshot = new PartitionSnapshot(0, 3L, 1, 128, 7L, List.of(envelope(1, "a", 2)),
                List.of(), List.of());
        byte[] v3 = PartitionSnapshotCodec.encode(snapshot);
        // An empty backlog is 4 + 8 + 4 bytes after the 36-byte header.
        byte[] withoutBacklog = new byte[v3.length - 16];
        System.arraycopy(v3, 0, withoutBacklog, 0, 36);
        System.arraycopy(v3, 52, withoutBacklog, 36, v3.length - 52);
        byte[] v1 = olderVersion(withoutBacklog, 1, inlineTimers(List.of()));

        PartitionSnapshot back = PartitionSnapshotCodec.decode(v1, "old");
        assertEquals(7L, back.ingressPosition());
        assertEnvelopes(snapshot.pending(), back.pending());
        assertEquals(0, back.backlog().files().length);
        assertEquals(0, back.timers().live());
    }

    /** Files from before timers had their own: version 2 lists them inline, and a restore takes them from there. */
    @Test
    void aVersionTwoFileStillReadsWithItsTimers() throws IOException {
        PartitionSnapshot snapshot = new PartitionSnapshot(0, 3L, 1, 128, 7L, List.of(), List.of(), List.of());
        List<PartitionSnapshot.Timer> timers = List.of(
                new PartitionSnapshot.Timer(0, 1234L, "token", envelope(4, "timer", 2)),
                new PartitionSnapshot.Timer(1, 5678L, null, envelope(5, "timer-2", 0)));
        byte[] v2 = olderVersion(PartitionSnapshotCodec.encode(snapshot), 2, inlineTimers(timers));

        PartitionSnapshot back = TimerFiles.restore(new LocalFolderSnapshotStore(dir), 3L,
                PartitionSnapshotCodec.decode(v2, "old"));
        List<PartitionSnapshot.Timer> restored = back.timers().entries();
        assertEquals(2, restored.size());
        assertEquals("token", restored.get(0).token());
        assertEquals(1234L, restored.get(0).dueAtMillis());
        assertEquals(null, restored.get(1).token());
        assertSame(timers.get(1).message(), restored.get(1).message());
    }

    /**
     * The metadata {@code current}, whose timers are in no file, with its timer fields (20 bytes before the
     * checksum: pending, records, no file) replaced by the older inline list.
     */
    private static byte[] olderVersion(byte[] current, int version, byte[] inline) {
        int timerFields = 8 + 8 + 4;
        int kept = current.length - 4 - timerFields;
        byte[] old = new byte[kept + inline.length + 4];
        System.arraycopy(current, 0, old, 0, kept);
        System.arraycopy(inline, 0, old, kept, inline.length);
        UnsafeBuffer b = new UnsafeBuffer(old);
        b.putInt(4, version, ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(old, 0, old.length - 4);
        b.putInt(old.length - 4, (int) crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        return old;
    }

    private static byte[] inlineTimers(List<PartitionSnapshot.Timer> timers) {
        io.stator.runtime.internal.EnvelopeCodec codec = new io.stator.runtime.internal.EnvelopeCodec();
        UnsafeBuffer b = new UnsafeBuffer(new byte[64 * 1024]);
        b.putInt(0, timers.size(), ByteOrder.LITTLE_ENDIAN);
        int at = 4;
        for (PartitionSnapshot.Timer t : timers) {
            b.putLong(at, t.dueAtMillis(), ByteOrder.LITTLE_ENDIAN);
            byte[] token = t.token() == null ? null : t.token().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            b.putInt(at + 8, token == null ? -1 : token.length, ByteOrder.LITTLE_ENDIAN);
            at += 12;
            if (token != null) {
                b.putBytes(at, token);
                at += token.length;
            }
            int length = codec.encodedLength(t.message());
            b.putInt(at, length, ByteOrder.LITTLE_ENDIAN);
            codec.encode(t.message(), 0, b, at + 4);
            at += 4 + length;
        }
        return java.util.Arrays.copyOf(b.byteArray(), at);
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
