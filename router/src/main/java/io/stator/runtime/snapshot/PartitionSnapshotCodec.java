package io.stator.runtime.snapshot;

import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.EnvelopeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.MutableDirectBuffer;
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
 *   int32  n, then n × int64                                       backlog: each address's oldest held sequence
 *   int64  invocations held                                        backlog
 *   int32  n, then n × int64                                       backlog: the snapshots that wrote its files
 *   int32  n, then n × (int32 length, envelope)                    pending
 *   int32  n, then n × (int32 length, envelope)                    channel
 *   int64  delayed messages pending                                timers
 *   int64  timers and removals their files hold                    timers
 *   int32  n, then n × int64                                       timers: the snapshots that wrote their files
 *   int32  CRC32C of every byte before it
 * </pre>
 *
 * Versions 1 and 2, written before delayed messages had files of their own ({@link TimerFiles}), list them in place
 * of the two timer fields: {@code int32 n, then n × (int64 due, int32 token length or -1, token UTF-8, int32
 * length, envelope)}. Version 1, written before backlogs had files of their own, also has no backlog fields; its
 * pending list holds the remote invocations too.
 */
public final class PartitionSnapshotCodec {
    private static final int MAGIC = 0x53505453; // "STPS" little-endian
    private static final int VERSION = 3;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Magic, version, partition, snapshot id, partitions, maxParallelism, ingress position. */
    static final int HEADER_BYTES = 36;

    private PartitionSnapshotCodec() {
    }

    /** @return the metadata's bytes, all in one array (see {@link #encoding} for large snapshots) */
    public static byte[] encode(PartitionSnapshot s) {
        try {
            return new PartitionSnapshotStream(s).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: the stream encodes in memory", e);
        }
    }

    /**
     * @return the snapshot's bytes as a stream that encodes them as they are read, in chunks of about 64 KiB, so
     *     that a snapshot listing a large backlog is never held in memory as one array; read it on one thread
     *     while the snapshot's lists stay unchanged
     */
    public static InputStream encoding(PartitionSnapshot s) {
        return new PartitionSnapshotStream(s);
    }

    /** Writes the fixed header, {@link #HEADER_BYTES} long, at {@code offset}. */
    static void putHeader(MutableDirectBuffer b, int offset, PartitionSnapshot s) {
        b.putInt(offset, MAGIC, ORDER);
        b.putInt(offset + 4, VERSION, ORDER);
        b.putInt(offset + 8, s.partition(), ORDER);
        b.putLong(offset + 12, s.snapshotId(), ORDER);
        b.putInt(offset + 20, s.partitions(), ORDER);
        b.putInt(offset + 24, s.maxParallelism(), ORDER);
        b.putLong(offset + 28, s.ingressPosition(), ORDER);
    }

    /** @return how many bytes {@link #putBacklog} writes for {@code backlog} */
    static int backlogBytes(PartitionSnapshot.Backlog backlog) {
        return 4 + 8 * backlog.heads().length + 8 + 4 + 8 * backlog.files().length;
    }

    /** Writes the backlog's heads, count and files at {@code offset}; @return the offset after them */
    static int putBacklog(MutableDirectBuffer b, int offset, PartitionSnapshot.Backlog backlog) {
        int at = putLongs(b, offset, backlog.heads());
        b.putLong(at, backlog.held(), ORDER);
        return putLongs(b, at + 8, backlog.files());
    }

    /** @return how many bytes {@link #putTimers} writes for {@code timers} */
    static int timersBytes(PartitionSnapshot.TimerLog timers) {
        return 8 + 8 + 4 + 8 * timers.files().length;
    }

    /** Writes the timers' count and files at {@code offset}; @return the offset after them */
    static int putTimers(MutableDirectBuffer b, int offset, PartitionSnapshot.TimerLog timers) {
        if (!timers.inFiles()) {
            throw new IllegalStateException("timers must be stored in files before the metadata is written");
        }
        b.putLong(offset, timers.live(), ORDER);
        b.putLong(offset + 8, timers.records(), ORDER);
        return putLongs(b, offset + 16, timers.files());
    }

    private static int putLongs(MutableDirectBuffer b, int offset, long[] values) {
        b.putInt(offset, values.length, ORDER);
        int at = offset + 4;
        for (long v : values) {
            b.putLong(at, v, ORDER);
            at += 8;
        }
        return at;
    }

    private static long[] getLongs(UnsafeBuffer b, int[] pos) {
        int n = b.getInt(pos[0], ORDER);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = b.getLong(pos[0] + 4 + 8 * i, ORDER);
        }
        pos[0] += 4 + 8 * n;
        return values;
    }

    /**
     * Reads a partition's metadata. Its backlog's invocations and its delayed messages stay in their files: see
     * {@link BacklogFiles#restore} and {@link TimerFiles#restore}.
     *
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
        int version = b.getInt(4, ORDER);
        if (b.getInt(0, ORDER) != MAGIC || version < 1 || version > VERSION) {
            throw new IllegalArgumentException(what + " is not a version 1 to " + VERSION + " partition snapshot");
        }
        EnvelopeCodec codec = new EnvelopeCodec();
        int partition = b.getInt(8, ORDER);
        long id = b.getLong(12, ORDER);
        int partitions = b.getInt(20, ORDER);
        int maxParallelism = b.getInt(24, ORDER);
        long ingress = b.getLong(28, ORDER);
        int[] pos = {HEADER_BYTES};
        PartitionSnapshot.Backlog backlog = PartitionSnapshot.Backlog.NONE;
        if (version > 1) {
            long[] heads = getLongs(b, pos);
            long held = b.getLong(pos[0], ORDER);
            pos[0] += 8;
            backlog = new PartitionSnapshot.Backlog(List.of(), false, heads, held, getLongs(b, pos));
        }
        List<Envelope> pending = getEnvelopes(b, pos, codec);
        List<Envelope> channel = getEnvelopes(b, pos, codec);
        PartitionSnapshot.TimerLog timers;
        if (version > 2) {
            long live = b.getLong(pos[0], ORDER);
            long records = b.getLong(pos[0] + 8, ORDER);
            pos[0] += 16;
            timers = new PartitionSnapshot.TimerLog(List.of(), new long[0], false, live, getLongs(b, pos), records);
        } else {
            timers = PartitionSnapshot.TimerLog.of(getInlineTimers(b, pos, codec));
        }
        return new PartitionSnapshot(partition, id, partitions, maxParallelism, ingress, pending, channel, timers,
                backlog);
    }

    /** Versions 1 and 2 list the delayed messages in the metadata; they get ids in the order listed. */
    private static List<PartitionSnapshot.Timer> getInlineTimers(UnsafeBuffer b, int[] pos, EnvelopeCodec codec) {
        int timerCount = b.getInt(pos[0], ORDER);
        pos[0] += 4;
        List<PartitionSnapshot.Timer> timers = new ArrayList<>(timerCount);
        UnsafeBuffer entry = new UnsafeBuffer(new byte[0]);
        for (int i = 0; i < timerCount; i++) {
            long due = b.getLong(pos[0], ORDER);
            int tokenLength = b.getInt(pos[0] + 8, ORDER);
            pos[0] += 12;
            byte[] token = null;
            if (tokenLength >= 0) {
                token = new byte[tokenLength];
                b.getBytes(pos[0], token);
                pos[0] += tokenLength;
            }
            timers.add(PartitionSnapshot.Timer.of(
                    PartitionSnapshot.Timer.encode(i, due, token, getEnvelope(b, pos, codec), codec, entry)));
        }
        return timers;
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
