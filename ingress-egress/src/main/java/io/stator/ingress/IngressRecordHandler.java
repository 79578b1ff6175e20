package io.stator.ingress;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;

/** Receives the records an {@link IngressReader} delivers, on the reader's thread. */
@FunctionalInterface
public interface IngressRecordHandler {
    /**
     * @param position   the record's position in the ingress log; the reader resumes after it once this returns
     * @param keyGroup   the key group the record was appended under
     * @param target     the function address the record is for
     * @param valueType  the type of the value
     * @param value      the value's bytes; the handler owns the array
     * @throws RuntimeException to refuse the record: the reader keeps it, with the rest of its document, for its
     *                          next poll ({@link IngressReader#undelivered()}) and the exception propagates
     */
    void onRecord(long position, int keyGroup, Address target, TypeName valueType, byte[] value);
}
