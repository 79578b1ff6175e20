package io.stator.ingress.internal;

import static io.stator.ingress.internal.IngressRecordDescriptor.FLAG_IDEMPOTENCY_KEY;
import static io.stator.ingress.internal.IngressRecordDescriptor.HEADER_LENGTH;
import static io.stator.ingress.internal.IngressRecordDescriptor.VERSION;

import io.stator.logs.internal.RecordFieldWriter;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;

/**
 * Encodes one ingress record, in the layout of {@link IngressRecordDescriptor}, into a reusable array, so that an
 * append hands Chronicle a single write instead of one call per field (each Chronicle call pays its own bounds and
 * owner checks: JMH {@code LogBenchmarks.ingressAppend}). Not thread-safe: one per appending thread.
 */
public final class IngressRecordEncoder {
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private int length;

    /**
     * Encodes a record, replacing the previous one.
     *
     * @param idempotencyKeyUtf8 the key's UTF-8 bytes, or null for a record without key
     * @return this encoder, holding the record in the first {@link #length()} bytes of {@link #buffer()}
     */
    public IngressRecordEncoder encode(int keyGroup, Address target, TypeName valueType, byte[] value,
            byte[] idempotencyKeyUtf8) {
        length = 0;
        return append(keyGroup, target, valueType, value, idempotencyKeyUtf8);
    }

    /** Drops what was appended after the first {@code length} bytes (a record that did not fit). */
    public void truncate(int length) {
        this.length = length;
    }

    /** Empties the buffer, for a new run of {@link #append}. */
    public void clear() {
        length = 0;
    }

    /**
     * Encodes a record after the ones already in the buffer: records are self-delimiting (a fixed header, then
     * length-prefixed fields), so several of them can share one log document.
     *
     * @param idempotencyKeyUtf8 the key's UTF-8 bytes, or null for a record without key
     * @return this encoder, holding the records in the first {@link #length()} bytes of {@link #buffer()}
     */
    public IngressRecordEncoder append(int keyGroup, Address target, TypeName valueType, byte[] value,
            byte[] idempotencyKeyUtf8) {
        ExpandableArrayBuffer b = buffer;
        int start = length;
        b.putInt(start + IngressRecordDescriptor.KEY_GROUP_OFFSET, keyGroup, ByteOrder.LITTLE_ENDIAN);
        b.putByte(start + IngressRecordDescriptor.VERSION_OFFSET, (byte) VERSION);
        b.putByte(start + IngressRecordDescriptor.FLAGS_OFFSET,
                (byte) (idempotencyKeyUtf8 == null ? 0 : FLAG_IDEMPOTENCY_KEY));
        b.putShort(start + IngressRecordDescriptor.FLAGS_OFFSET + 1, (short) 0);
        int at = RecordFieldWriter.field(b, start + HEADER_LENGTH, target.type().asUtf8Bytes());
        at = idField(b, at, target.id());
        at = RecordFieldWriter.field(b, at, valueType.asUtf8Bytes());
        at = RecordFieldWriter.field(b, at, value);
        if (idempotencyKeyUtf8 != null) {
            at = RecordFieldWriter.field(b, at, idempotencyKeyUtf8);
        }
        length = at;
        return this;
    }

    /** @return the array holding the encoded records in its first {@link #length()} bytes */
    public byte[] buffer() {
        return buffer.byteArray();
    }

    /** @return the length of the encoded records */
    public int length() {
        return length;
    }

    /**
     * Writes the id as a field, copying plain ASCII char by char straight into the array (one capacity check, not
     * one per byte: {@code putByte} per char was up to ~8% of a producer's CPU in W1, JFR) and encoding anything else
     * through the JDK.
     */
    private static int idField(ExpandableArrayBuffer b, int at, String id) {
        int start = at + Integer.BYTES;
        int n = id.length();
        b.checkLimit(start + n);
        byte[] out = b.byteArray();
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c >= 0x80) {
                return RecordFieldWriter.field(b, at, id.getBytes(StandardCharsets.UTF_8));
            }
            out[start + i] = (byte) c;
        }
        b.putInt(at, n, ByteOrder.LITTLE_ENDIAN);
        return start + n;
    }
}
