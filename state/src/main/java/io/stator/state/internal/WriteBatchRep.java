package io.stator.state.internal;

import java.util.Arrays;

/**
 * Builds RocksDB's serialized write batch in a Java array, for {@code new WriteBatch(byte[])}: one call into
 * RocksDB for a whole batch instead of one per record. The format: a fixed64 sequence number (RocksDB sets it) and
 * a fixed32 record count, both little-endian, then per record a type byte and the key (and for a put the value),
 * each a varint32 length and the bytes.
 *
 * <p>Used by one thread at a time; {@link #reset} starts the next batch in the same array, unless a batch grew it
 * past {@link #KEPT_GROWTH} times its first size (a state value of hundreds of MiB): then in one of the first size,
 * so that one large value does not hold its size of heap for as long as the partition runs.
 */
final class WriteBatchRep {
    static final byte DELETE = 0x0;
    static final byte PUT = 0x1;
    private static final int HEADER = 12;
    /** A varint32 takes at most this many bytes. */
    private static final int MAX_VARINT = 5;
    /** How many times its first size the array may keep between batches. */
    static final int KEPT_GROWTH = 4;

    private final int firstLength;
    private byte[] rep;
    private int size = HEADER;
    private int records;

    /** @param capacity the bytes of records expected: the array grows past it if needed */
    WriteBatchRep(int capacity) {
        firstLength = HEADER + capacity;
        rep = new byte[firstLength];
    }

    /** Starts an empty batch. */
    void reset() {
        if (rep.length > (long) KEPT_GROWTH * firstLength) {
            rep = new byte[firstLength];
        }
        size = HEADER;
        records = 0;
    }

    /** Starts a record of {@code type}, {@link #PUT} or {@link #DELETE}; its fields follow. */
    void tag(byte type) {
        room(1);
        rep[size++] = type;
        records++;
    }

    /** Appends a field: {@code length} bytes of {@code from} at {@code offset}, after their varint length. */
    void bytes(byte[] from, int offset, int length) {
        room(MAX_VARINT + length);
        varint(length);
        System.arraycopy(from, offset, rep, size, length);
        size += length;
    }

    /** Appends a stored value as a field: its header ({@link StateValueDescriptor}), then {@code payload}. */
    void value(int typeHash, long expiresAt, byte[] payload) {
        int header = StateValueDescriptor.headerLength(expiresAt);
        room(MAX_VARINT + header + payload.length);
        varint(header + payload.length);
        size = StateValueDescriptor.writeHeader(rep, size, typeHash, expiresAt);
        System.arraycopy(payload, 0, rep, size, payload.length);
        size += payload.length;
    }

    /** @return the bytes the batch's array holds now */
    int capacity() {
        return rep.length;
    }

    /** @return the records since the last {@link #reset} */
    int records() {
        return records;
    }

    /** @return the batch, in an array of exactly its size ({@code new WriteBatch(byte[])} takes no length) */
    byte[] finish() {
        for (int i = 0; i < Integer.BYTES; i++) {
            rep[8 + i] = (byte) (records >>> (8 * i));
        }
        return size == rep.length ? rep : Arrays.copyOf(rep, size);
    }

    private void varint(int v) {
        for (; (v & ~0x7F) != 0; v >>>= 7) {
            rep[size++] = (byte) (v & 0x7F | 0x80);
        }
        rep[size++] = (byte) v;
    }

    private void room(int bytes) {
        if (rep.length - size < bytes) {
            rep = Arrays.copyOf(rep, Math.max(rep.length * 2, size + bytes));
        }
    }
}
