package io.stator.egress.internal;

/**
 * The layout of one egress record, the payload of one Chronicle Queue excerpt. Data records and the commit and
 * abort markers share the queue, so readers see them in the order they were written.
 *
 * <pre>
 *   0       1       2                       8                               16
 *   +-------+-------+-----------------------+-------------------------------+
 *   | kind  |version|  reserved (6 zeros)   |  epoch (int64)                |   header, every record
 *   +-------+-------+-----------------------+-------------------------------+
 *   | int32 n | n bytes: value type, UTF-8 "namespace/name"   (data only)   |
 *   +---------+-------------------------------------------------------------+
 *   | int32 n | n bytes: value                                (data only)   |
 *   +---------+-------------------------------------------------------------+
 *
 *   kind: 1 = data, 2 = commit (every epoch up to this one that was not aborted), 3 = abort (this epoch)
 * </pre>
 *
 * Integers are little-endian (Chronicle Bytes' order). A record's offset is the excerpt's Chronicle index, which
 * is not stored in the record.
 */
public final class EgressRecordDescriptor {
    /** Offset of the {@code uint8} kind. */
    public static final int KIND_OFFSET = 0;
    /** Offset of the {@code uint8} layout version. */
    public static final int VERSION_OFFSET = 1;
    /** Offset of the {@code int64} epoch. */
    public static final int EPOCH_OFFSET = 8;
    /** Length of the fixed header; a data record's fields start here. */
    public static final int HEADER_LENGTH = 16;

    /** Kind: a data record of an epoch. */
    public static final int KIND_DATA = 1;
    /** Kind: commit marker; commits every epoch up to its epoch that was not aborted. */
    public static final int KIND_COMMIT = 2;
    /** Kind: abort marker; aborts exactly its epoch. */
    public static final int KIND_ABORT = 3;

    /** The layout version written by this code. */
    public static final int VERSION = 1;

    private EgressRecordDescriptor() {
    }
}
