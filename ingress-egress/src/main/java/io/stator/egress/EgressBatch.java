package io.stator.egress;

import io.stator.egress.internal.EgressRecordCodec;
import io.stator.sdk.TypeName;
import java.util.Objects;
import org.agrona.ExpandableArrayBuffer;

/**
 * One thread's buffer of records for one {@link EgressLog}, written to the log as a single document by
 * {@link #flush()}: the log's epoch check and Chronicle's write lock are then paid once per batch instead of once per
 * record. The runtime's partitions fill one per egress during a duty cycle and flush it at the end of the cycle and
 * before they report a snapshot, so a record is always in the log before the commit marker of its epoch can be
 * written.
 *
 * <p>A document holds the records of one epoch: adding a record of another epoch flushes the buffered ones first.
 * A batch also flushes itself when it reaches {@value #MAX_RECORDS} records or {@value #MAX_BYTES} bytes.
 *
 * <p>Records get their offsets when they are flushed, in the order they were added; a reader sees them only then.
 * Single-threaded: one thread adds and flushes (the log itself takes many batches at once).
 */
public final class EgressBatch {
    /** Records in one document, at most. */
    public static final int MAX_RECORDS = 1024;
    /** Encoded bytes in one document, at most, unless a single record is larger (it then goes alone). */
    public static final int MAX_BYTES = 32 * 1024;

    private final EgressLog log;
    private final ExpandableArrayBuffer records = new ExpandableArrayBuffer(4096);
    /** Bytes of {@link #records} in use. */
    private int length;
    private int count;
    private long epoch;

    EgressBatch(EgressLog log) {
        this.log = log;
    }

    /**
     * Buffers a record; it reaches the log at the next {@link #flush()} (or sooner, see the class comment).
     *
     * @param epoch     the sender's current epoch, at least 0, neither committed nor aborted when flushed
     * @param valueType the value's type
     * @param value     the value's bytes; copied here
     * @throws IllegalArgumentException if the record is larger than {@link EgressLog#MAX_RECORD_BYTES} (nothing is
     *                                  buffered: a record that can never be written would block every later flush)
     * @throws IllegalStateException    if an automatic flush fails (see {@link #flush()})
     */
    public void add(long epoch, TypeName valueType, byte[] value) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be at least 0, was " + epoch);
        }
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(value, "value");
        int recordLength = EgressRecordCodec.recordLength(valueType, value);
        if (recordLength > EgressLog.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(tooLarge(String.valueOf(log.egress()), valueType, value));
        }
        if (count > 0 && (epoch != this.epoch || length + recordLength > MAX_BYTES)) {
            flush();
        }
        length = EgressRecordCodec.writeRecord(records, length, valueType, value);
        this.epoch = epoch;
        count++;
        if (count >= MAX_RECORDS || length >= MAX_BYTES) {
            flush();
        }
    }

    /**
     * Writes the buffered records to the log as one document. If the write fails (a full disk, a decided epoch, a
     * closed log) the records stay buffered and the next flush tries them again: output is never dropped, and
     * the caller must not let their epoch be committed until a flush succeeded.
     *
     * @return how many records were written
     * @throws IllegalStateException if their epoch is already decided, or the log is closed
     * @throws RuntimeException      whatever the queue throws when it cannot write
     */
    public int flush() {
        if (count == 0) {
            return 0;
        }
        int written = count;
        log.appendBatch(epoch, written, records.byteArray(), length);
        length = 0;
        count = 0;
        return written;
    }

    /**
     * @return why a record of {@code value} for the egress {@code egress} cannot be written, or null if it can: the
     *     check {@link #add} makes, for callers that must refuse such a record before they do anything else
     */
    public static String refusal(TypeName egress, TypeName valueType, byte[] value) {
        return EgressRecordCodec.recordLength(valueType, value) > EgressLog.MAX_RECORD_BYTES
                ? tooLarge(egress.toString(), valueType, value) : null;
    }

    private static String tooLarge(String egress, TypeName valueType, byte[] value) {
        return "a record of " + value.length + " bytes (type " + valueType + ") is too large for egress " + egress
                + ": a record and its type name take at most " + EgressLog.MAX_RECORD_BYTES + " bytes";
    }

    /** @return how many records wait for {@link #flush()} */
    public int size() {
        return count;
    }

    /** @return the log this batch writes to */
    public EgressLog log() {
        return log;
    }
}
