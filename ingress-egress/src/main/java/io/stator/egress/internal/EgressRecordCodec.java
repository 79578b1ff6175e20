package io.stator.egress.internal;

import static io.stator.egress.internal.EgressRecordDescriptor.EPOCH_OFFSET;
import static io.stator.egress.internal.EgressRecordDescriptor.HEADER_LENGTH;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_ABORT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_DATA;
import static io.stator.egress.internal.EgressRecordDescriptor.VERSION;

import io.stator.logs.internal.RecordFieldReader;
import io.stator.logs.internal.RecordFieldWriter;
import io.stator.sdk.TypeName;
import net.openhft.chronicle.bytes.Bytes;

/** Writes and reads egress records in the layout of {@link EgressRecordDescriptor}. */
public final class EgressRecordCodec {
    private EgressRecordCodec() {
    }

    /** Writes a data record. */
    public static void writeData(Bytes<?> out, long epoch, TypeName valueType, byte[] value) {
        writeHeader(out, KIND_DATA, epoch);
        RecordFieldWriter.field(out, valueType.asUtf8Bytes());
        RecordFieldWriter.field(out, value);
    }

    /** Writes a commit or abort marker. */
    public static void writeMarker(Bytes<?> out, int kind, long epoch) {
        writeHeader(out, kind, epoch);
    }

    /**
     * Reads and checks the header; leaves {@code in} at the first field. Read the epoch with {@link #epoch}.
     *
     * @return the kind
     */
    public static int readKind(Bytes<?> in, long index, RecordFieldReader fields) {
        fields.require(in, index, HEADER_LENGTH, "the header");
        long start = in.readPosition();
        int kind = in.readUnsignedByte(start);
        int version = in.readUnsignedByte(start + EgressRecordDescriptor.VERSION_OFFSET);
        if (version != VERSION) {
            throw fields.corrupt(index, "layout version " + version + " is not " + VERSION);
        }
        if (kind < KIND_DATA || kind > KIND_ABORT) {
            throw fields.corrupt(index, "unknown record kind " + kind);
        }
        return kind;
    }

    /** @return the epoch of the record whose header {@link #readKind} just checked; moves past the header */
    public static long epoch(Bytes<?> in) {
        long epoch = in.readLong(in.readPosition() + EPOCH_OFFSET);
        in.readSkip(HEADER_LENGTH);
        return epoch;
    }

    private static void writeHeader(Bytes<?> out, int kind, long epoch) {
        out.writeByte((byte) kind);
        out.writeByte((byte) VERSION);
        out.writeInt(0);
        out.writeShort((short) 0);
        out.writeLong(epoch);
    }
}
