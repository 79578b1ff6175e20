package io.stator.state.internal;

import java.nio.ByteBuffer;

/**
 * The layout of a RocksDB value: a small header, then the value's bytes as its {@code Type} serialized them.
 *
 * <pre>
 *   0        1                 5                      13
 *   +--------+-----------------+----------------------+------------------
 *   | flags  | type hash       | expires at           | payload ...
 *   | u8     | i32 BE          | i64 BE, epoch millis | (Type.serialize)
 *   +--------+-----------------+----------------------+------------------
 *                                present only if flags has HAS_EXPIRY
 *
 *   flags: bit 0 HAS_EXPIRY; bits 1-3 reserved, 0; bits 4-7 format version, 0
 * </pre>
 *
 * <ul>
 *   <li><b>type hash</b>: {@code typeName.asString().hashCode()} ({@link String#hashCode} is fixed by the Java
 *       language specification, so the hash is stable across JVMs). It detects a value read through a
 *       {@code ValueSpec} of another type without storing the type name in every value.</li>
 *   <li><b>expires at</b>: the absolute deadline, not the write time, so the expiry sweep needs no
 *       {@code ValueSpec} to decide; a value is expired when {@code now >= expiresAt}. Values without expiry
 *       omit the field.</li>
 * </ul>
 *
 * A counter without expiry thus costs 5 bytes of header (13 with expiry) on top of its payload.
 */
public final class StateValueDescriptor {
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the big-endian type hash. */
    public static final int TYPE_HASH_OFFSET = 1;
    /** Offset of the big-endian deadline, when present. */
    public static final int EXPIRES_AT_OFFSET = 5;
    /** Header length of a value without expiry. */
    public static final int HEADER_LENGTH = 5;
    /** Header length of a value with expiry. */
    public static final int HEADER_WITH_EXPIRY_LENGTH = 13;
    /** Flag bit: the header carries a deadline. */
    public static final int HAS_EXPIRY = 0x01;
    /** The in-memory deadline of a value that never expires; never written to disk. */
    public static final long NO_EXPIRY = Long.MAX_VALUE;

    private static final int KNOWN_FLAGS = HAS_EXPIRY;

    private StateValueDescriptor() {
    }

    /** @return the header length for a value with deadline {@code expiresAt} */
    public static int headerLength(long expiresAt) {
        return expiresAt == NO_EXPIRY ? HEADER_LENGTH : HEADER_WITH_EXPIRY_LENGTH;
    }

    /**
     * Writes a header at {@code dst}'s position and advances it.
     *
     * @param expiresAt the deadline, or {@link #NO_EXPIRY}
     */
    public static void writeHeader(ByteBuffer dst, int typeHash, long expiresAt) {
        dst.put((byte) (expiresAt == NO_EXPIRY ? 0 : HAS_EXPIRY));
        dst.putInt(typeHash);
        if (expiresAt != NO_EXPIRY) {
            dst.putLong(expiresAt);
        }
    }

    /**
     * Writes a header at {@code dst[offset]}, which must have {@link #headerLength} bytes of room.
     *
     * @param expiresAt the deadline, or {@link #NO_EXPIRY}
     * @return the offset after the header
     */
    public static int writeHeader(byte[] dst, int offset, int typeHash, long expiresAt) {
        dst[offset++] = (byte) (expiresAt == NO_EXPIRY ? 0 : HAS_EXPIRY);
        for (int shift = 24; shift >= 0; shift -= 8) {
            dst[offset++] = (byte) (typeHash >>> shift);
        }
        if (expiresAt != NO_EXPIRY) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst[offset++] = (byte) (expiresAt >>> shift);
            }
        }
        return offset;
    }

    /**
     * Checks that {@code length} bytes starting at {@code value[0]} can be a value.
     *
     * @return null if valid, else what is wrong
     */
    public static String validate(byte[] value, int length) {
        if (length < HEADER_LENGTH) {
            return "value has " + length + " bytes, fewer than the " + HEADER_LENGTH + "-byte header";
        }
        int flags = value[FLAGS_OFFSET] & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return "value has unknown flags 0x" + Integer.toHexString(flags);
        }
        if ((flags & HAS_EXPIRY) != 0 && length < HEADER_WITH_EXPIRY_LENGTH) {
            return "value has " + length + " bytes, fewer than the " + HEADER_WITH_EXPIRY_LENGTH + "-byte header";
        }
        return null;
    }

    /** @return the payload's offset in a valid value */
    public static int payloadOffset(byte[] value) {
        return (value[FLAGS_OFFSET] & HAS_EXPIRY) != 0 ? HEADER_WITH_EXPIRY_LENGTH : HEADER_LENGTH;
    }

    /** @return the type hash of a valid value */
    public static int typeHash(byte[] value) {
        return ((value[TYPE_HASH_OFFSET] & 0xFF) << 24) | ((value[TYPE_HASH_OFFSET + 1] & 0xFF) << 16)
                | ((value[TYPE_HASH_OFFSET + 2] & 0xFF) << 8) | (value[TYPE_HASH_OFFSET + 3] & 0xFF);
    }

    /** @return the deadline of a valid value, or {@link #NO_EXPIRY} */
    public static long expiresAt(byte[] value) {
        if ((value[FLAGS_OFFSET] & HAS_EXPIRY) == 0) {
            return NO_EXPIRY;
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (value[EXPIRES_AT_OFFSET + i] & 0xFF);
        }
        return v;
    }
}
