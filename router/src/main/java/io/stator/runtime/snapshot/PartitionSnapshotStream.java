package io.stator.runtime.snapshot;

import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.EnvelopeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of a {@link PartitionSnapshot} in {@link PartitionSnapshotCodec}'s layout, made as they are read, one
 * chunk at a time. A snapshot taken while a remote function lags can list a million pending invocations (tens of
 * MiB); encoding them into one growing array every snapshot interval cost a copy per doubling and a short-lived
 * array the size of the file. Here the memory is one chunk, and the pending list is only iterated, never
 * indexed, so a lazily made list (the partition's capture of its remote backlog) is never materialised.
 *
 * <p>Each chunk holds whole records: the header, a count, an envelope with its length, a timer. A record larger
 * than the chunk gets a chunk of its own size. The checksum is updated chunk by chunk and written last.
 *
 * <p>One reader thread; the snapshot's lists must not change while it is read.
 */
final class PartitionSnapshotStream extends InputStream {
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int CHUNK_BYTES = 64 * 1024;

    /** What the next record is; the stream moves through them in this order. */
    private enum Stage { HEADER, PENDING_COUNT, PENDING, CHANNEL_COUNT, CHANNEL, TIMER_COUNT, TIMERS, CHECKSUM, END }

    private final PartitionSnapshot snapshot;
    private final EnvelopeCodec codec = new EnvelopeCodec(true); // a backlog lists each address's messages in a run
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[CHUNK_BYTES]);
    private Stage stage = Stage.HEADER;
    private Iterator<Envelope> envelopes;
    private Iterator<PartitionSnapshot.Timer> timers;
    /** The record to write next, taken from its iterator but not yet written (it did not fit the last chunk). */
    private Envelope heldEnvelope;
    private PartitionSnapshot.Timer heldTimer;
    private byte[] heldToken;
    /** The encoded length of the held envelope, or of the held timer's message. */
    private int heldLength;
    /** Records the current list announced, and how many were written: a list that changed would corrupt the file. */
    private int announced;
    private int written;
    /** Bytes of the chunk filled, and read from it. */
    private int limit;
    private int position;

    PartitionSnapshotStream(PartitionSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public int read() {
        if (position == limit && !fill()) {
            return -1;
        }
        return chunk.getByte(position++) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        chunk.getBytes(position, b, off, n);
        position += n;
        return n;
    }

    /** Writes whole chunks straight from the chunk's array, without the copy through a caller's buffer. */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        long total = 0;
        while (position < limit || fill()) {
            int n = limit - position;
            out.write(chunk.byteArray(), position, n);
            position = limit;
            total += n;
        }
        return total;
    }

    /** Encodes the next chunk of records; @return false at the end of the stream */
    private boolean fill() {
        limit = 0;
        position = 0;
        int checksummedFrom = 0;
        while (stage != Stage.END) {
            int size = nextRecordSize();
            if (size < 0) {
                continue; // a list ended: the stage moved on
            }
            if (limit + size > chunk.capacity()) {
                if (limit > 0) {
                    break;
                }
                chunk.wrap(new byte[size]);
            }
            if (stage == Stage.CHECKSUM) {
                crc.update(chunk.byteArray(), checksummedFrom, limit - checksummedFrom);
                checksummedFrom = limit + 4;
            }
            writeRecord();
        }
        if (checksummedFrom < limit) {
            crc.update(chunk.byteArray(), checksummedFrom, limit - checksummedFrom);
        }
        return limit > 0;
    }

    /** @return the size of the next record of the current stage, or -1 if the stage has none left (and moved on) */
    private int nextRecordSize() {
        switch (stage) {
            case HEADER:
                return PartitionSnapshotCodec.HEADER_BYTES;
            case PENDING_COUNT, CHANNEL_COUNT, TIMER_COUNT, CHECKSUM:
                return 4;
            case PENDING, CHANNEL:
                if (heldEnvelope == null) {
                    if (!envelopes.hasNext()) {
                        endList(stage == Stage.PENDING ? Stage.CHANNEL_COUNT : Stage.TIMER_COUNT);
                        return -1;
                    }
                    heldEnvelope = envelopes.next();
                }
                heldLength = codec.encodedLength(heldEnvelope);
                return 4 + heldLength;
            case TIMERS:
                if (heldTimer == null) {
                    if (!timers.hasNext()) {
                        endList(Stage.CHECKSUM);
                        return -1;
                    }
                    heldTimer = timers.next();
                    heldToken = heldTimer.token() == null ? null : heldTimer.token().getBytes(StandardCharsets.UTF_8);
                }
                heldLength = codec.encodedLength(heldTimer.message());
                return 12 + (heldToken == null ? 0 : heldToken.length) + 4 + heldLength;
            default:
                throw new IllegalStateException("no record after the end of the stream");
        }
    }

    /** Writes the record {@link #nextRecordSize} just measured at {@link #limit}, and moves on. */
    private void writeRecord() {
        switch (stage) {
            case HEADER -> {
                PartitionSnapshotCodec.putHeader(chunk, limit, snapshot);
                limit += PartitionSnapshotCodec.HEADER_BYTES;
                stage = Stage.PENDING_COUNT;
            }
            case PENDING_COUNT -> startList(snapshot.pending(), Stage.PENDING);
            case CHANNEL_COUNT -> startList(snapshot.channel(), Stage.CHANNEL);
            case TIMER_COUNT -> {
                List<PartitionSnapshot.Timer> list = snapshot.timers();
                putCount(list.size());
                timers = list.iterator();
                stage = Stage.TIMERS;
            }
            case PENDING, CHANNEL -> {
                limit = putEnvelope(limit, heldEnvelope);
                heldEnvelope = null;
                written++;
            }
            case TIMERS -> {
                chunk.putLong(limit, heldTimer.dueAtMillis(), ORDER);
                if (heldToken == null) {
                    chunk.putInt(limit + 8, -1, ORDER);
                    limit += 12;
                } else {
                    chunk.putInt(limit + 8, heldToken.length, ORDER);
                    chunk.putBytes(limit + 12, heldToken);
                    limit += 12 + heldToken.length;
                }
                limit = putEnvelope(limit, heldTimer.message());
                heldTimer = null;
                heldToken = null;
                written++;
            }
            case CHECKSUM -> {
                chunk.putInt(limit, (int) crc.getValue(), ORDER);
                limit += 4;
                stage = Stage.END;
            }
            default -> throw new IllegalStateException("no record after the end of the stream");
        }
    }

    private void startList(List<Envelope> list, Stage next) {
        putCount(list.size());
        envelopes = list.iterator();
        stage = next;
    }

    private void putCount(int count) {
        chunk.putInt(limit, count, ORDER);
        limit += 4;
        announced = count;
        written = 0;
    }

    private void endList(Stage next) {
        if (written != announced) {
            throw new IllegalStateException("a snapshot list changed while it was encoded: " + announced
                    + " elements announced, " + written + " iterated");
        }
        stage = next;
    }

    /** Writes the held envelope (or timer message) {@link #nextRecordSize} just measured, preceded by its length. */
    private int putEnvelope(int at, Envelope e) {
        chunk.putInt(at, heldLength, ORDER);
        codec.encode(e, 0, chunk, at + 4);
        return at + 4 + heldLength;
    }
}
