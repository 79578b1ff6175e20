package io.stator.logs.internal;

import io.stator.logs.CorruptRecordException;
import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Reads the length-prefixed fields of a log record ({@code int32} length, then that many bytes; see the record
 * descriptors), checking every length against the bytes left so a damaged record fails with a clear message.
 * Reuses one scratch buffer and a type-name cache, so a reader allocates only what it hands out.
 * Single-threaded: one per reader.
 */
public final class RecordFieldReader {
    private final String logName;
    private final TypeNameCache typeNames = new TypeNameCache();
    private byte[] scratch = new byte[256];

    /** @param logName names the log in error messages, e.g. {@code ingress log /data/ingress} */
    public RecordFieldReader(String logName) {
        this.logName = logName;
    }

    /** @return the next field as a type name */
    public TypeName typeName(Bytes<?> in, long index, String field) {
        int length = length(in, index, field);
        in.read(scratch(length), 0, length);
        try {
            return typeNames.get(scratch, length);
        } catch (IllegalArgumentException e) {
            throw corrupt(index, field + " is not a type name: " + e.getMessage());
        }
    }

    /** @return the next field as a UTF-8 string */
    public String utf8(Bytes<?> in, long index, String field) {
        int length = length(in, index, field);
        in.read(scratch(length), 0, length);
        return new String(scratch, 0, length, StandardCharsets.UTF_8);
    }

    /** @return the next field's bytes in a new array */
    public byte[] bytes(Bytes<?> in, long index, String field) {
        int length = length(in, index, field);
        byte[] out = new byte[length];
        in.read(out, 0, length);
        return out;
    }

    /** Skips the next field. */
    public void skip(Bytes<?> in, long index, String field) {
        int length = length(in, index, field);
        in.readSkip(length);
    }

    /**
     * @param index  the record's index
     * @param detail what is wrong
     * @return an exception naming the log and the record
     */
    public CorruptRecordException corrupt(long index, String detail) {
        return new CorruptRecordException("corrupt record in " + logName + " at index " + index + ": " + detail);
    }

    /** Checks that at least {@code bytes} bytes are left, else throws naming {@code what}. */
    public void require(Bytes<?> in, long index, int bytes, String what) {
        if (in.readRemaining() < bytes) {
            throw corrupt(index, what + " needs " + bytes + " bytes but only " + in.readRemaining() + " are left");
        }
    }

    private int length(Bytes<?> in, long index, String field) {
        if (in.readRemaining() < Integer.BYTES) { // not require(): its message would be built for every field read
            throw corrupt(index, field + " length needs " + Integer.BYTES + " bytes but only " + in.readRemaining()
                    + " are left");
        }
        int length = in.readInt();
        if (length < 0 || length > in.readRemaining()) {
            throw corrupt(index, field + " length " + length + " does not fit the " + in.readRemaining()
                    + " bytes left");
        }
        return length;
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }
}
