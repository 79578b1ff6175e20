package io.stator.runtime.snapshot;

import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.EnvelopeCodec;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The binary form of a {@link PartitionSnapshot}, stored as {@code <id>/runtime/partition-<p>.meta} in the
 * snapshot store. Little-endian; envelopes in {@link io.stator.runtime.internal.EnvelopeDescriptor}'s layout,
 * each preceded by its length.
 *
 * <pre>
 *   int32  magic 'STPS'            int32 version (1)
 *   int32  partition               int64 snapshot id
 *   int32  partitions              int32 maxParallelism
 *   int64  ingress position
 *   int32  n, then n × (int32 length, envelope)                    pending
 *   int32  n, then n × (int32 length, envelope)                    channel
 *   int32  n, then n × (int64 due, int32 token length or -1, token UTF-8, int32 length, envelope)   timers
 *   int32  CRC32C of every byte before it
 * </pre>
 */
public final class PartitionSnapshotCodec {
    private static final int MAGIC = 0x53505453; // "STPS" little-endian
    private static final int VERSION = 1;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private PartitionSnapshotCodec() {
    }

    /** @return the snapshot's bytes */
    public static byte[] encode(PartitionSnapshot s) {
        EnvelopeCodec codec = new EnvelopeCodec();
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(1024);
        int pos = 0;
        b.putInt(pos, MAGIC, ORDER);
        b.putInt(pos + 4, VERSION, ORDER);
        b.putInt(pos + 8, s.partition(), ORDER);
        b.putLong(pos + 12, s.snapshotId(), ORDER);
        b.putInt(pos + 20, s.partitions(), ORDER);
        b.putInt(pos + 24, s.maxParallelism(), ORDER);
        b.putLong(pos + 28, s.ingressPosition(), ORDER);
        pos = 36;
        pos = putEnvelopes(b, pos, s.pending(), codec);
        pos = putEnvelopes(b, pos, s.channel(), codec);
        b.putInt(pos, s.timers().size(), ORDER);
        pos += 4;
        for (PartitionSnapshot.Timer t : s.timers()) {
            b.putLong(pos, t.dueAtMillis(), ORDER);
            pos += 8;
            if (t.token() == null) {
                b.putInt(pos, -1, ORDER);
                pos += 4;
            } else {
                byte[] token = t.token().getBytes(StandardCharsets.UTF_8);
                b.putInt(pos, token.length, ORDER);
                b.putBytes(pos + 4, token);
                pos += 4 + token.length;
            }
            pos = putEnvelope(b, pos, t.message(), codec);
        }
        CRC32C crc = new CRC32C();
        byte[] out = new byte[pos + 4];
        b.getBytes(0, out, 0, pos);
        crc.update(out, 0, pos);
        new UnsafeBuffer(out).putInt(pos, (int) crc.getValue(), ORDER);
        return out;
    }

    /**
     * @param what a name for the bytes (file), used in error messages
     * @throws IllegalArgumentException naming {@code what} if the bytes are damaged or not a partition snapshot
     */
    public static PartitionSnapshot decode(byte[] bytes, String what) {
        if (bytes.length < 40) {
            throw new IllegalArgumentException(what + " is too short to be a partition snapshot (" + bytes.length + " bytes)");
        }
        UnsafeBuffer b = new UnsafeBuffer(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4, ORDER)) {
            throw new IllegalArgumentException(what + " fails its checksum");
        }
        if (b.getInt(0, ORDER) != MAGIC || b.getInt(4, ORDER) != VERSION) {
            throw new IllegalArgumentException(what + " is not a version " + VERSION + " partition snapshot");
        }
        EnvelopeCodec codec = new EnvelopeCodec();
        int partition = b.getInt(8, ORDER);
        long id = b.getLong(12, ORDER);
        int partitions = b.getInt(20, ORDER);
        int maxParallelism = b.getInt(24, ORDER);
        long ingress = b.getLong(28, ORDER);
        int[] pos = {36};
        List<Envelope> pending = getEnvelopes(b, pos, codec);
        List<Envelope> channel = getEnvelopes(b, pos, codec);
        int timerCount = b.getInt(pos[0], ORDER);
        pos[0] += 4;
        List<PartitionSnapshot.Timer> timers = new ArrayList<>(timerCount);
        for (int i = 0; i < timerCount; i++) {
            long due = b.getLong(pos[0], ORDER);
            int tokenLength = b.getInt(pos[0] + 8, ORDER);
            pos[0] += 12;
            String token = null;
            if (tokenLength >= 0) {
                token = b.getStringWithoutLengthUtf8(pos[0], tokenLength);
                pos[0] += tokenLength;
            }
            timers.add(new PartitionSnapshot.Timer(due, token, getEnvelope(b, pos, codec)));
        }
        return new PartitionSnapshot(partition, id, partitions, maxParallelism, ingress, pending, channel, timers);
    }

    private static int putEnvelopes(ExpandableArrayBuffer b, int pos, List<Envelope> envelopes, EnvelopeCodec codec) {
        b.putInt(pos, envelopes.size(), ORDER);
        pos += 4;
        for (Envelope e : envelopes) {
            pos = putEnvelope(b, pos, e, codec);
        }
        return pos;
    }

    private static int putEnvelope(ExpandableArrayBuffer b, int pos, Envelope e, EnvelopeCodec codec) {
        int length = codec.encodedLength(e);
        b.putInt(pos, length, ORDER);
        b.checkLimit(pos + 4 + length);
        codec.encode(e, 0, b, pos + 4);
        return pos + 4 + length;
    }

    private static List<Envelope> getEnvelopes(UnsafeBuffer b, int[] pos, EnvelopeCodec codec) {
        int n = b.getInt(pos[0], ORDER);
        pos[0] += 4;
        List<Envelope> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(getEnvelope(b, pos, codec));
        }
        return out;
    }

    private static Envelope getEnvelope(UnsafeBuffer b, int[] pos, EnvelopeCodec codec) {
        int length = b.getInt(pos[0], ORDER);
        Envelope e = codec.decode(b, pos[0] + 4);
        pos[0] += 4 + length;
        return e;
    }
}
