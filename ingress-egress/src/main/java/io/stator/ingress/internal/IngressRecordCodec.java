package io.stator.ingress.internal;

import static io.stator.ingress.internal.IngressRecordDescriptor.FLAG_IDEMPOTENCY_KEY;
import static io.stator.ingress.internal.IngressRecordDescriptor.HEADER_LENGTH;
import static io.stator.ingress.internal.IngressRecordDescriptor.VERSION;

import io.stator.logs.internal.RecordFieldReader;
import net.openhft.chronicle.bytes.Bytes;

/** Reads ingress records in the layout of {@link IngressRecordDescriptor}; {@link IngressRecordEncoder} writes them. */
public final class IngressRecordCodec {
    private IngressRecordCodec() {
    }

    /**
     * Reads the key group and checks the header; leaves {@code in} at the first field.
     *
     * @return the key group
     */
    public static int readHeader(Bytes<?> in, long index, RecordFieldReader fields) {
        fields.require(in, index, HEADER_LENGTH, "the header");
        int keyGroup = in.readInt();
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw fields.corrupt(index, "layout version " + version + " is not " + VERSION);
        }
        in.readSkip(HEADER_LENGTH - IngressRecordDescriptor.FLAGS_OFFSET);
        return keyGroup;
    }

    /**
     * Reads a whole record and returns only its idempotency key.
     *
     * @return the key, or null if the record has none
     */
    public static String readIdempotencyKey(Bytes<?> in, long index, RecordFieldReader fields) {
        fields.require(in, index, HEADER_LENGTH, "the header");
        int flags = in.readUnsignedByte(in.readPosition() + IngressRecordDescriptor.FLAGS_OFFSET);
        readHeader(in, index, fields);
        if ((flags & FLAG_IDEMPOTENCY_KEY) == 0) {
            return null;
        }
        fields.skip(in, index, "target type");
        fields.skip(in, index, "target id");
        fields.skip(in, index, "value type");
        fields.skip(in, index, "value");
        return fields.utf8(in, index, "idempotency key");
    }
}
