package io.stator.runtime.internal;

/**
 * The binary layout of a message in a partition's inbox ring (record type {@link #MSG_TYPE_MESSAGE}). All
 * numbers are little-endian; strings are UTF-8 preceded by their byte length as an unsigned 16-bit number.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      target key group (int32)                 |  0
 *  +---------------------------------------------------------------+
 *  |                           flags (int32)                       |  4
 *  +---------------------------------------------------------------+
 *  |                    sender's epoch (int64)                     |  8
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |  target type length (uint16)  |  target type ...             16
 *  +-------------------------------+-------------------------------+
 *  |  target id length (uint16)    |  target id ...
 *  +-------------------------------+-------------------------------+
 *  |  caller type length, bytes, caller id length, bytes  (only if FLAG_HAS_CALLER)
 *  +-------------------------------+-------------------------------+
 *  |  value type length (uint16)   |  value type ...
 *  +-------------------------------+-------------------------------+
 *  |                      value length (int32)                     |
 *  +---------------------------------------------------------------+
 *  |  value ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The epoch is the sender's snapshot epoch when it sent the message; it lets a receiver tell, during a
 * snapshot, which channel messages belong to the snapshot's channel state.
 */
public final class EnvelopeDescriptor {
    /** Ring record type of a routed message. */
    public static final int MSG_TYPE_MESSAGE = 1;
    /**
     * Ring record type of an epoch barrier from the coordinator: a single little-endian int64, the new epoch.
     * Everything a partition emits after it handled barrier {@code n} belongs to epoch {@code n}.
     */
    public static final int MSG_TYPE_BARRIER = 2;
    /** Length of a barrier record. */
    public static final int BARRIER_LENGTH = 8;
    /**
     * Ring record type of a snapshot marker from another partition: int64 snapshot id, int32 sending partition.
     * It follows every envelope that partition sent before its snapshot (FIFO), closing its channel's state.
     */
    public static final int MSG_TYPE_MARKER = 3;
    /** Length of a marker record. */
    public static final int MARKER_LENGTH = 12;
    /**
     * Ring record type of a message too large for the ring: int32 sending partition. The envelope itself waits in
     * the sender's hand-off queue for this partition ({@link LargeMessages}).
     */
    public static final int MSG_TYPE_LARGE_MESSAGE = 4;
    /** Length of a large message's record. */
    public static final int LARGE_MESSAGE_LENGTH = 4;

    public static final int KEY_GROUP_OFFSET = 0;
    public static final int FLAGS_OFFSET = 4;
    public static final int EPOCH_OFFSET = 8;
    public static final int TARGET_TYPE_OFFSET = 16;

    /** Flag: a caller address follows the target. */
    public static final int FLAG_HAS_CALLER = 1;

    /** The longest string (type name or id) an envelope can carry, in UTF-8 bytes. */
    public static final int MAX_STRING_LENGTH = 0xFFFF;

    private EnvelopeDescriptor() {
    }
}
