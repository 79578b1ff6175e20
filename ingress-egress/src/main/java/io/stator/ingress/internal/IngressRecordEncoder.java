package io.stator.ingress.internal;

import static io.stator.ingress.internal.IngressRecordDescriptor.FLAG_IDEMPOTENCY_KEY;
import static io.stator.ingress.internal.IngressRecordDescriptor.HEADER_LENGTH;
import static io.stator.ingress.internal.IngressRecordDescriptor.VERSION;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one ingress record, in the layout of {@link IngressRecordDescriptor}, into a reusable array, so that an
 * append hands Chronicle a single write instead of one call per field (each Chronicle call pays its own bounds and
 * owner checks: JMH {@code LogBenchmarks.ingressAppend}). Not thread-safe: one per appending thread.
 */
public final class IngressRecordEncoder {
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buffer = new byte[256];
    private int length;

    /**
     * Encodes a record, replacing the previous one.
     *
     * @param idempotencyKeyUtf8 the key's UTF-8 bytes, or null for a record without key
     * @return this encoder, holding the record in the first {@link #length()} bytes of {@link #buffer()}
     */
    public IngressRecordEncoder encode(int keyGroup, Address target, TypeName valueType, byte[] value,
            byte[] idempotencyKeyUtf8) {
        byte[] type = target.type().asUtf8Bytes();
        String id = target.id();
        byte[] valueTypeName = valueType.asUtf8Bytes();
        int keyLength = idempotencyKeyUtf8 == null ? 0 : Integer.BYTES + idempotencyKeyUtf8.length;
        // An id's UTF-8 form takes at most 3 bytes per char (a surrogate pair: 4 bytes for 2 chars).
        ensureCapacity(HEADER_LENGTH + 4 * Integer.BYTES + type.length + 3 * id.length() + valueTypeName.length
                + value.length + keyLength);
        byte[] b = buffer;
        INTS.set(b, IngressRecordDescriptor.KEY_GROUP_OFFSET, keyGroup);
        b[IngressRecordDescriptor.VERSION_OFFSET] = (byte) VERSION;
        b[IngressRecordDescriptor.FLAGS_OFFSET] = (byte) (idempotencyKeyUtf8 == null ? 0 : FLAG_IDEMPOTENCY_KEY);
        b[IngressRecordDescriptor.FLAGS_OFFSET + 1] = 0;
        b[IngressRecordDescriptor.FLAGS_OFFSET + 2] = 0;
        int at = field(b, HEADER_LENGTH, type);
        at = utf8Field(b, at, id);
        at = field(b, at, valueTypeName);
        at = field(b, at, value);
        if (idempotencyKeyUtf8 != null) {
            at = field(b, at, idempotencyKeyUtf8);
        }
        length = at;
        return this;
    }

    /** @return the array holding the last encoded record in its first {@link #length()} bytes */
    public byte[] buffer() {
        return buffer;
    }

    /** @return the length of the last encoded record */
    public int length() {
        return length;
    }

    private static int field(byte[] b, int at, byte[] bytes) {
        INTS.set(b, at, bytes.length);
        System.arraycopy(bytes, 0, b, at + Integer.BYTES, bytes.length);
        return at + Integer.BYTES + bytes.length;
    }

    /** Writes {@code s} as a field, encoding plain ASCII in place and anything else through the JDK's encoder. */
    private static int utf8Field(byte[] b, int at, String s) {
        int start = at + Integer.BYTES;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return field(b, at, s.getBytes(StandardCharsets.UTF_8));
            }
            b[start + i] = (byte) c;
        }
        INTS.set(b, at, n);
        return start + n;
    }

    private void ensureCapacity(int capacity) {
        if (buffer.length < capacity) {
            buffer = new byte[Math.max(capacity, 2 * buffer.length)];
        }
    }
}
