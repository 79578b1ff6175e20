package io.stator.logs.internal;

import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.MutableDirectBuffer;

/** Writes the length-prefixed fields of a log record: an {@code int32} length (little-endian), then the bytes. */
public final class RecordFieldWriter {
    private RecordFieldWriter() {
    }

    /** Writes {@code bytes} as one field into a Chronicle document. */
    public static void field(Bytes<?> out, byte[] bytes) {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Writes {@code bytes} as one field into a buffer, laid out as {@link #field(Bytes, byte[])} lays it out in a
     * document (little-endian: Chronicle Bytes' order, which the readers expect).
     *
     * @param at where the field starts in {@code out}
     * @return where the field ends
     */
    public static int field(MutableDirectBuffer out, int at, byte[] bytes) {
        out.putInt(at, bytes.length, ByteOrder.LITTLE_ENDIAN);
        out.putBytes(at + Integer.BYTES, bytes);
        return at + Integer.BYTES + bytes.length;
    }
}
