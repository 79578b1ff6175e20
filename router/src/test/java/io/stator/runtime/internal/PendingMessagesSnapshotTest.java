package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stator.remote.client.PendingRemoteInvocation;
import io.stator.remote.client.RemoteInvocation;
import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.runtime.snapshot.PartitionSnapshotCodec;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A partition snapshot's pending messages go through the codec's chunked stream and come back in restore order
 * (parked calls, remote invocations, local queue), whichever way the stream is read, with records that cross
 * chunk boundaries and a record larger than a chunk.
 */
class PendingMessagesSnapshotTest {
    private static final TypeName FN = TypeName.typeNameOf("test", "fn");
    private static final TypeName VALUE = TypeName.typeNameOf("test", "value");

    @Test
    void pendingMessagesComeBackInRestoreOrderFromEveryWayOfReadingTheStream() throws IOException {
        List<Envelope> parked = List.of(envelope(1, "parked", 10));
        List<PendingRemoteInvocation> remote = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // about 1 MB: many 64 KiB chunks
            Address caller = i % 3 == 0 ? new Address(FN, "caller-" + i) : null;
            remote.add(new PendingRemoteInvocation(i % 128,
                    new RemoteInvocation(new Address(FN, "key-" + (i / 100)), caller, VALUE, value(i, 16))));
        }
        remote.add(new PendingRemoteInvocation(5, new RemoteInvocation(new Address(FN, "big"), null, VALUE,
                value(7, 200_000)))); // larger than a chunk
        List<Envelope> local = List.of(envelope(2, "local", 3));
        PendingMessages pending = new PendingMessages(parked, remote, local);
        List<Envelope> channel = List.of(envelope(3, "channel", 5));
        List<PartitionSnapshot.Timer> timers = List.of(
                new PartitionSnapshot.Timer(1234L, "token", envelope(4, "timer", 2)),
                new PartitionSnapshot.Timer(5678L, null, envelope(5, "timer-2", 0)));
        PartitionSnapshot snapshot = new PartitionSnapshot(1, 42L, 2, 128, 999L, pending, channel, timers);

        byte[] whole = PartitionSnapshotCodec.encode(snapshot);
        ByteArrayOutputStream transferred = new ByteArrayOutputStream();
        try (InputStream in = PartitionSnapshotCodec.encoding(snapshot)) {
            in.transferTo(transferred);
        }
        ByteArrayOutputStream byteByByte = new ByteArrayOutputStream();
        try (InputStream in = PartitionSnapshotCodec.encoding(snapshot)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                byteByByte.write(b);
            }
        }
        assertArrayEquals(whole, transferred.toByteArray());
        assertArrayEquals(whole, byteByByte.toByteArray());

        PartitionSnapshot back = PartitionSnapshotCodec.decode(whole, "test");
        assertEquals(42L, back.snapshotId());
        assertEquals(999L, back.ingressPosition());
        assertEquals(pending.size(), back.pending().size());
        Iterator<Envelope> expected = pending.iterator();
        for (Envelope e : back.pending()) {
            assertSame(expected.next(), e);
        }
        assertSame(channel.get(0), back.channel().get(0));
        assertEquals(2, back.timers().size());
        assertEquals("token", back.timers().get(0).token());
        assertEquals(5678L, back.timers().get(1).dueAtMillis());
        assertEquals(null, back.timers().get(1).token());
        assertSame(timers.get(1).message(), back.timers().get(1).message());
    }

    @Test
    void iteratingMakesTheSameEnvelopesAsIndexing() {
        List<PendingRemoteInvocation> remote = List.of(
                new PendingRemoteInvocation(9, new RemoteInvocation(new Address(FN, "a"), null, VALUE, value(1, 4))));
        PendingMessages pending = new PendingMessages(List.of(envelope(1, "p", 1)), remote, List.of(envelope(2, "l", 1)));
        Iterator<Envelope> it = pending.iterator();
        for (int i = 0; i < pending.size(); i++) {
            assertSame(pending.get(i), it.next());
        }
        assertEquals(false, it.hasNext());
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
