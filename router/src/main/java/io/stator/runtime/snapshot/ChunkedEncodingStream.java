package io.stator.runtime.snapshot;

import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.EnvelopeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A snapshot file's bytes, made as they are read, one chunk at a time, and ended by the CRC32C of every byte
 * before it. A snapshot can list a million invocations (tens of MiB); encoding them into one growing array every
 * interval cost a copy per doubling and a short-lived array the size of the file. Here the memory is one chunk.
 *
 * <p>A subclass measures its next record, then writes it; each chunk holds whole records, and a record larger than
 * the chunk gets a chunk of its own size. One reader thread.
 */
abstract class ChunkedEncodingStream extends InputStream {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int CHUNK_BYTES = 64 * 1024;

    /** For envelopes; reuses a header for the next envelope of the same address, as backlogs list them in runs. */
    final EnvelopeCodec codec = new EnvelopeCodec(true);
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[CHUNK_BYTES]);
    private boolean recordsEnded;
    private boolean ended;
    /** Bytes of the chunk filled, and read from it. */
    private int limit;
    private int position;

    /** @return the size of the next record, or -1 if there is none left (the checksum follows) */
    abstract int nextRecordSize();

    /**
     * Writes the record {@link #nextRecordSize} just measured.
     *
     * @return the offset after it
     */
    abstract int writeRecord(UnsafeBuffer out, int at);

    @Override
    public int read() {
        if (position == limit && !fill()) {
            return -1;
        }
        return chunk.getByte(position++) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
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
        boolean checksumWritten = false;
        while (!ended) {
            int size = recordsEnded ? 4 : nextRecordSize();
            if (size < 0) {
                recordsEnded = true;
                continue;
            }
            if (limit + size > chunk.capacity()) {
                if (limit > 0) {
                    break;
                }
                chunk.wrap(new byte[size]);
            }
            if (recordsEnded) {
                crc.update(chunk.byteArray(), 0, limit);
                chunk.putInt(limit, (int) crc.getValue(), ORDER);
                limit += 4;
                ended = true;
                checksumWritten = true;
            } else {
                limit = writeRecord(chunk, limit);
            }
        }
        if (!checksumWritten) {
            crc.update(chunk.byteArray(), 0, limit);
        }
        return limit > 0;
    }

    /** Writes an envelope of {@code length} encoded bytes (as the codec measured it), preceded by the length. */
    final int putEnvelope(UnsafeBuffer out, int at, Envelope e, int length) {
        out.putInt(at, length, ORDER);
        codec.encode(e, 0, out, at + 4);
        return at + 4 + length;
    }
}
