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

    /**
     * A document of the log cannot be read: a write torn by a crash or a full disk (never acknowledged: its append
     * failed), or damage on disk. Every reader meets it, whatever its key groups, since its key groups cannot be
     * read either. If this returns, the reader moves past the document; by default it throws {@code error}.
     *
     * @param position the document's position
     * @param document the document's first bytes, at most {@link IngressReader#MAX_DAMAGED_BYTES}
     * @param length   the document's length in bytes
     * @param error    what is wrong with it
     * @throws RuntimeException to stay before the document: the next poll meets it again, and the exception
     *                          propagates
     */
    default void onDamaged(long position, byte[] document, int length, RuntimeException error) {
        throw error;
    }
}
