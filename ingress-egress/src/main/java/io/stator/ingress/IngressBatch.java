package io.stator.ingress;

import io.stator.ingress.internal.IngressRecordEncoder;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;

/**
 * Records to append to an {@link IngressLog} as one log document ({@link IngressLog#append(IngressBatch)}): a
 * producer that has many records at hand pays the log's per-document cost (its write lock, header and index) once
 * per batch instead of once per record, and the partitions open one document for the whole batch. Records of a
 * batch carry no idempotency key. Reusable: {@link #clear()} it after each append. Not thread-safe.
 */
public final class IngressBatch {
    /** The most records one batch holds. */
    public static final int MAX_RECORDS = 1024;
    /** The most bytes one batch holds, well below the log's largest document. */
    public static final int MAX_BYTES = 1 << 20;

    private final IngressRecordEncoder records = new IngressRecordEncoder();
    private int size;

    /**
     * Adds a record.
     *
     * @param keyGroup  the target's key group, at least 0
     * @param target    the function address the record is for
     * @param valueType the value's type
     * @param value     the value's bytes (copied)
     * @return this batch
     * @throws IllegalArgumentException if the key group is negative
     * @throws IllegalStateException    if the batch already holds {@value #MAX_RECORDS} records, or this record
     *                                  would take it over {@value #MAX_BYTES} bytes
     */
    public IngressBatch add(int keyGroup, Address target, TypeName valueType, byte[] value) {
        IngressLog.checkRecord(keyGroup, target, valueType, value);
        if (size == MAX_RECORDS) {
            throw new IllegalStateException("an ingress batch holds at most " + MAX_RECORDS + " records");
        }
        int before = records.length();
        records.append(keyGroup, target, valueType, value, null);
        if (records.length() > MAX_BYTES) {
            records.truncate(before);
            throw new IllegalStateException("an ingress batch holds at most " + MAX_BYTES + " bytes; this record of "
                    + value.length + " value bytes does not fit after " + size + " records");
        }
        size++;
        return this;
    }

    /** @return how many records the batch holds */
    public int size() {
        return size;
    }

    /** @return whether the batch holds no record */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Empties the batch, to be filled again. */
    public void clear() {
        records.clear();
        size = 0;
    }

    IngressRecordEncoder encoded() {
        return records;
    }
}
