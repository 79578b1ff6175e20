package io.stator.ingress;

import io.stator.ingress.internal.IngressRecordEncoder;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;

/**
 * Records to append to an {@link IngressLog} as one log document ({@link IngressLog#append(IngressBatch)}): a
 * producer that has many records at hand pays the log's per-document cost (its write lock, header and index) once
 * per batch instead of once per record, and the partitions open one document for the whole batch. A batch may
 * carry one idempotency key, stored with its first record. Reusable: {@link #clear()} it after each append. Not
 * thread-safe.
 */
public final class IngressBatch {
    /** The most records one batch holds. */
    public static final int MAX_RECORDS = 1024;
    /** The most bytes one batch holds, well below the log's largest document. */
    public static final int MAX_BYTES = 1 << 20;

    private final IngressRecordEncoder records = new IngressRecordEncoder();
    private int size;
    private String idempotencyKey;
    private byte[] idempotencyKeyUtf8;

    /**
     * Gives the batch an idempotency key: appending a batch with a key the log remembers appends nothing and
     * returns the position of the batch first appended with it, so a producer that did not learn whether its append
     * went through can safely append again. Set it before the first record.
     *
     * @param key 1 to {@value IngressLog#MAX_IDEMPOTENCY_KEY_BYTES} UTF-8 bytes
     * @return this batch
     * @throws IllegalStateException    if the batch already holds records
     * @throws IllegalArgumentException if the key is empty or too long
     */
    public IngressBatch withIdempotencyKey(String key) {
        if (size > 0) {
            throw new IllegalStateException("set a batch's idempotency key before its first record");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("an idempotency key must not be empty");
        }
        this.idempotencyKeyUtf8 = IngressLog.idempotencyKeyBytes(key);
        this.idempotencyKey = key;
        return this;
    }

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
        records.append(keyGroup, target, valueType, value, size == 0 ? idempotencyKeyUtf8 : null);
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

    /** Empties the batch and forgets its idempotency key, to be filled again. */
    public void clear() {
        records.clear();
        size = 0;
        idempotencyKey = null;
        idempotencyKeyUtf8 = null;
    }

    /** @return the batch's idempotency key, or null */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    IngressRecordEncoder encoded() {
        return records;
    }
}
