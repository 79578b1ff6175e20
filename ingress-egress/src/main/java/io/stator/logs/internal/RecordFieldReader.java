package io.stator.logs.internal;

import io.stator.logs.CorruptRecordException;
import io.stator.sdk.TypeName;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Reads a log document's records: {@link #load} copies the document (or its header) into a reused array in one
 * bulk read, and the reads after it walk that copy with plain array accesses, where reading field by field through
 * Chronicle's {@code Bytes} paid its bounds checks and copy set-up on every field (a W1 partition spent ~28% of its
 * time decoding ingress records that way; {@code LogBenchmarks.ingressBatchRead}). Fields are length-prefixed
 * ({@code int32} length, then that many bytes; see the record descriptors), and every length is checked against
 * the bytes left so a damaged record fails with a clear message naming the log and the document.
 *
 * <p>Integers are little-endian, as Chronicle writes them on the machines this runs on. Single-threaded: one per
 * reader. Allocates only what it hands out (strings, values, a type name not seen recently).
 */
public final class RecordFieldReader {
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int INITIAL_CAPACITY = 4096;
    /**
     * The largest copy kept for the next document (an ingress batch is at most 1 MiB); a larger one, a single huge
     * egress record, is dropped at the next smaller document rather than held by the reader for good.
     */
    private static final int MAX_RETAINED = 1 << 20;

    private final String logName;
    private final TypeNameCache typeNames = new TypeNameCache();
    private byte[] document = new byte[INITIAL_CAPACITY];
    private int position;
    private int limit;
    private long index;

    /** @param logName names the log in error messages, e.g. {@code ingress log /data/ingress} */
    public RecordFieldReader(String logName) {
        this.logName = logName;
    }

    /**
     * Copies the document from {@code in}'s read position to its end and starts reading at its first byte.
     * {@code in}'s read position does not move.
     *
     * @param index the document's Chronicle index, for error messages
     */
    public void load(Bytes<?> in, long index) {
        load(in, index, 0, Integer.MAX_VALUE);
    }

    /**
     * Copies part of the document, as {@link #load(Bytes, long)} does the whole: from {@code fromByte} bytes after
     * {@code in}'s read position, at most {@code maxBytes} (a header, or the records after one a reader stopped at).
     * The read position starts at the first byte copied.
     */
    public void load(Bytes<?> in, long index, int fromByte, int maxBytes) {
        this.index = index;
        this.position = 0;
        this.limit = 0;
        long remaining = in.readRemaining() - fromByte;
        if (remaining < 0) {
            throw corrupt(in.readRemaining() + " bytes, fewer than the " + fromByte + " to resume after");
        }
        int length = (int) Math.min(remaining, maxBytes);
        if (document.length < length || (document.length > MAX_RETAINED && length <= MAX_RETAINED)) {
            document = new byte[Math.max(length, Math.min(document.length * 2, MAX_RETAINED))];
        }
        in.read(in.readPosition() + fromByte, document, 0, length);
        this.limit = length;
    }

    /** @return the length of the document (or part) loaded last */
    public int documentLength() {
        return limit;
    }

    /** @return a copy of the loaded document's first bytes, at most {@code maxBytes} */
    public byte[] copyOfDocument(int maxBytes) {
        return java.util.Arrays.copyOf(document, Math.min(limit, maxBytes));
    }

    /** @return the bytes left after the read position */
    public int remaining() {
        return limit - position;
    }

    /** @return the read position, counted from the first byte loaded */
    public int position() {
        return position;
    }

    /** Checks that at least {@code bytes} bytes are left, else throws naming {@code what}. */
    public void require(int bytes, String what) {
        if (limit - position < bytes) {
            throw corrupt(what + " needs " + bytes + " bytes but only " + (limit - position) + " are left");
        }
    }

    /** @return the byte {@code offset} bytes after the read position, which does not move; see {@link #require} */
    public int unsignedByteAt(int offset) {
        return document[position + offset] & 0xFF;
    }

    /** @return the {@code int32} {@code offset} bytes after the read position, which does not move */
    public int intAt(int offset) {
        return (int) INTS.get(document, position + offset);
    }

    /** @return the {@code int64} {@code offset} bytes after the read position, which does not move */
    public long longAt(int offset) {
        return (long) LONGS.get(document, position + offset);
    }

    /** Moves the read position {@code bytes} bytes on; {@link #require} them first. */
    public void skipBytes(int bytes) {
        position += bytes;
    }

    /** @return the next field as a type name */
    public TypeName typeName(String field) {
        int length = length(field);
        int start = position;
        position += length;
        try {
            return typeNames.get(document, start, length);
        } catch (IllegalArgumentException e) {
            throw corrupt(field + " is not a type name: " + e.getMessage());
        }
    }

    /** @return the next field as a UTF-8 string */
    public String utf8(String field) {
        int length = length(field);
        int start = position;
        position += length;
        return new String(document, start, length, StandardCharsets.UTF_8);
    }

    /** @return the next field's bytes in a new array */
    public byte[] bytes(String field) {
        int length = length(field);
        int start = position;
        position += length;
        return Arrays.copyOfRange(document, start, start + length);
    }

    /** Skips the next field. */
    public void skip(String field) {
        int length = length(field); // before the += below: it moves the position past the length
        position += length;
    }

    /**
     * @param detail what is wrong
     * @return an exception naming the log and the loaded document
     */
    public CorruptRecordException corrupt(String detail) {
        return new CorruptRecordException("corrupt record in " + logName + " at index " + index + ": " + detail);
    }

    private int length(String field) {
        if (limit - position < Integer.BYTES) { // not require(): its message would be built for every field read
            throw corrupt(field + " length needs " + Integer.BYTES + " bytes but only " + (limit - position)
                    + " are left");
        }
        int length = intAt(0);
        position += Integer.BYTES;
        if (length < 0 || length > limit - position) {
            throw corrupt(field + " length " + length + " does not fit the " + (limit - position) + " bytes left");
        }
        return length;
    }
}
