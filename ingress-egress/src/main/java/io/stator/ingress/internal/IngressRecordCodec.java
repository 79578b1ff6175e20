package io.stator.ingress.internal;

import static io.stator.ingress.internal.IngressRecordDescriptor.FLAG_IDEMPOTENCY_KEY;
import static io.stator.ingress.internal.IngressRecordDescriptor.HEADER_LENGTH;
import static io.stator.ingress.internal.IngressRecordDescriptor.VERSION;

import io.stator.logs.internal.RecordFieldReader;

/** Reads ingress records in the layout of {@link IngressRecordDescriptor}; {@link IngressRecordEncoder} writes them. */
public final class IngressRecordCodec {
    private IngressRecordCodec() {
    }

    /**
     * Reads the key group and checks the header; leaves {@code record} at the first field.
     *
     * @return the key group
     */
    public static int readHeader(RecordFieldReader record) {
        record.require(HEADER_LENGTH, "the header");
        int version = record.unsignedByteAt(IngressRecordDescriptor.VERSION_OFFSET);
        if (version != VERSION) {
            throw record.corrupt("layout version " + version + " is not " + VERSION);
        }
        int keyGroup = record.intAt(IngressRecordDescriptor.KEY_GROUP_OFFSET);
        record.skipBytes(HEADER_LENGTH);
        return keyGroup;
    }

    /**
     * Reads a whole record and returns only its idempotency key.
     *
     * @return the key, or null if the record has none
     */
    public static String readIdempotencyKey(RecordFieldReader record) {
        record.require(HEADER_LENGTH, "the header");
        int flags = record.unsignedByteAt(IngressRecordDescriptor.FLAGS_OFFSET);
        readHeader(record);
        if ((flags & FLAG_IDEMPOTENCY_KEY) == 0) {
            return null;
        }
        record.skip("target type");
        record.skip("target id");
        record.skip("value type");
        record.skip("value");
        return record.utf8("idempotency key");
    }
}
