package io.stator.egress.internal;

/**
 * The layout of one egress log document, the payload of one Chronicle Queue excerpt: either a batch of data records
 * of one epoch or a commit or abort marker. Batches and markers share the queue, so readers see them in the order
 * they were written.
 *
 * <pre>
 *   0       1       2       4               8                               16                              24
 *   +-------+-------+-------+---------------+-------------------------------+-------------------------------+
 *   | kind  |version| 0   0 | count (int32) |  epoch (int64)                |  base offset (int64)          |
 *   +-------+-------+-------+---------------+-------------------------------+-------------------------------+
 *   then, data only, {@code count} records one after another, each:
 *   +---------+-----------------------------------------------+---------+----------------------------------+
 *   | int32 n | n bytes: value type, UTF-8 "namespace/name"   | int32 m | m bytes: value                   |
 *   +---------+-----------------------------------------------+---------+----------------------------------+
 *
 *   kind:        1 = data (count >= 1 records of the epoch),
 *                2 = commit (every epoch up to this one that was not aborted), 3 = abort (this epoch)
 *   count:       the number of records; 0 for a marker
 *   base offset: the offset of the document's first record; a marker holds the offset the next record gets
 * </pre>
 *
 * <b>Offsets</b> number the records of a log densely from 0 in log order: the records of a data document have the
 * offsets {@code base .. base + count - 1}, and the next data document starts at {@code base + count}. Markers take
 * no offset. Offsets do not depend on Chronicle's indexes, so a document may hold many records (the runtime writes
 * a partition's records of one duty cycle as one document, which takes Chronicle's write lock once) while every
 * record keeps its own offset. A reader finds the document holding offset {@code n} by a binary search over the
 * base offsets, which never decrease along the log.
 *
 * <p>Integers are little-endian (Chronicle Bytes' order). Version 1 (one record per document, the offset being the
 * excerpt's Chronicle index) is not read by this code.
 */
public final class EgressRecordDescriptor {
    /** Offset of the {@code uint8} kind. */
    public static final int KIND_OFFSET = 0;
    /** Offset of the {@code uint8} layout version. */
    public static final int VERSION_OFFSET = 1;
    /** Offset of the {@code int32} record count. */
    public static final int COUNT_OFFSET = 4;
    /** Offset of the {@code int64} epoch. */
    public static final int EPOCH_OFFSET = 8;
    /** Offset of the {@code int64} base offset: the log offset of the document's first record. */
    public static final int BASE_OFFSET_OFFSET = 16;
    /** Length of the fixed header; a data document's records start here. */
    public static final int HEADER_LENGTH = 24;

    /** Kind: a batch of data records of one epoch. */
    public static final int KIND_DATA = 1;
    /** Kind: commit marker; commits every epoch up to its epoch that was not aborted. */
    public static final int KIND_COMMIT = 2;
    /** Kind: abort marker; aborts exactly its epoch. */
    public static final int KIND_ABORT = 3;

    /** The layout version written and read by this code. */
    public static final int VERSION = 2;

    private EgressRecordDescriptor() {
    }
}
