package io.stator.logs.internal;

import net.openhft.chronicle.bytes.Bytes;

/** Writes the length-prefixed fields of a log record: an {@code int32} length, then the bytes. */
public final class RecordFieldWriter {
    private RecordFieldWriter() {
    }

    /** Writes {@code bytes} as one field. */
    public static void field(Bytes<?> out, byte[] bytes) {
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
