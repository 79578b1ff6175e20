package io.stator.ingress.internal;

/**
 * The layout of one ingress record, the payload of one Chronicle Queue excerpt. The key group comes first so a
 * partition's reader can skip the records of other partitions after reading four bytes, without decoding any
 * address.
 *
 * <pre>
 *   0               4       5       6               8
 *   +---------------+-------+-------+---------------+
 *   |  key group    |version| flags |   reserved    |   header: int32, uint8, uint8, 2 zero bytes
 *   +---------------+-------+-------+---------------+
 *   | int32 n | n bytes: target function type, UTF-8 "namespace/name"     |
 *   +---------+-----------------------------------------------------------+
 *   | int32 n | n bytes: target id, UTF-8                                 |
 *   +---------+-----------------------------------------------------------+
 *   | int32 n | n bytes: value type, UTF-8 "namespace/name"               |
 *   +---------+-----------------------------------------------------------+
 *   | int32 n | n bytes: value                                            |
 *   +---------+-----------------------------------------------------------+
 *   | int32 n | n bytes: idempotency key, UTF-8   (only if flags bit 0)   |
 *   +---------+-----------------------------------------------------------+
 * </pre>
 *
 * Integers are little-endian (Chronicle Bytes' order). The record's position in the log is the excerpt's
 * Chronicle index, which is not stored in the record.
 */
public final class IngressRecordDescriptor {
    /** Offset of the {@code int32} key group. */
    public static final int KEY_GROUP_OFFSET = 0;
    /** Offset of the {@code uint8} layout version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the {@code uint8} flags. */
    public static final int FLAGS_OFFSET = 5;
    /** Length of the fixed header; the length-prefixed fields start here. */
    public static final int HEADER_LENGTH = 8;

    /** The layout version written by this code. */
    public static final int VERSION = 1;
    /** Flag: the record ends with an idempotency key field. */
    public static final int FLAG_IDEMPOTENCY_KEY = 1;

    private IngressRecordDescriptor() {
    }
}
