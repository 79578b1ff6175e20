package io.stator.egress;

import io.stator.sdk.TypeName;

/** Receives the records an {@link EgressReader} delivers, on the reader's thread. */
@FunctionalInterface
public interface EgressRecordHandler {
    /**
     * @param offset    the record's offset; the reader resumes after it once this returns
     * @param epoch     the snapshot epoch the record belongs to
     * @param valueType the type of the value
     * @param value     the value's bytes; the handler owns the array
     * @throws RuntimeException to refuse the record: the reader stays before it and the exception propagates
     */
    void onRecord(long offset, long epoch, TypeName valueType, byte[] value);
}
