package io.stator.egress.internal;

import static io.stator.egress.internal.EgressRecordDescriptor.BASE_OFFSET_OFFSET;
import static io.stator.egress.internal.EgressRecordDescriptor.COUNT_OFFSET;
import static io.stator.egress.internal.EgressRecordDescriptor.EPOCH_OFFSET;
import static io.stator.egress.internal.EgressRecordDescriptor.HEADER_LENGTH;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_ABORT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_DATA;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_OFFSET;
import static io.stator.egress.internal.EgressRecordDescriptor.VERSION;
import static io.stator.egress.internal.EgressRecordDescriptor.VERSION_OFFSET;

import io.stator.logs.internal.RecordFieldReader;
import io.stator.logs.internal.RecordFieldWriter;
import io.stator.sdk.TypeName;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.MutableDirectBuffer;

/** Writes and reads egress log documents in the layout of {@link EgressRecordDescriptor}. */
public final class EgressRecordCodec {
    /** A document's header as read by {@link #readHeader}; reused by one reader, single-threaded. */
    public static final class Header {
        private int kind;
        private int count;
        private long epoch;
        private long baseOffset;

        /** @return the kind, one of {@link EgressRecordDescriptor}'s {@code KIND_*} */
        public int kind() {
            return kind;
        }

        /** @return the number of records; 0 for a marker */
        public int count() {
            return count;
        }

        /** @return the epoch the records belong to, or the epoch a marker decides */
        public long epoch() {
            return epoch;
        }

        /** @return the offset of the first record (for a marker: of the next record written) */
        public long baseOffset() {
            return baseOffset;
        }

        /** @return the offset after the document's last record */
        public long endOffset() {
            return baseOffset + count;
        }
    }

    private EgressRecordCodec() {
    }

    /** Writes a document header; a data document's records follow it ({@link #writeRecord}). */
    public static void writeHeader(Bytes<?> out, int kind, int count, long epoch, long baseOffset) {
        out.writeByte((byte) kind);
        out.writeByte((byte) VERSION);
        out.writeShort((short) 0);
        out.writeInt(count);
        out.writeLong(epoch);
        out.writeLong(baseOffset);
    }

    /** Writes one record of a data document: its value type and value. */
    public static void writeRecord(Bytes<?> out, TypeName valueType, byte[] value) {
        RecordFieldWriter.field(out, valueType.asUtf8Bytes());
        RecordFieldWriter.field(out, value);
    }

    /**
     * Loads the header of the document at {@code index} from {@code in} into {@code fields} and reads it into
     * {@code header}, for readers that pass a damaged document (a write torn by a crash or a full disk) by.
     *
     * @return whether the header was read; false if the document is damaged
     */
    public static boolean tryReadHeader(Bytes<?> in, long index, RecordFieldReader fields, Header header) {
        try {
            fields.load(in, index, 0, HEADER_LENGTH);
            readHeader(fields, header);
            return true;
        } catch (RuntimeException damaged) {
            return false;
        }
    }

    /**
     * Reads and checks a loaded document's header into {@code header}; leaves {@code document} at the first record.
     *
     * @throws io.stator.logs.CorruptRecordException if the header is not one this code wrote
     */
    public static void readHeader(RecordFieldReader document, Header header) {
        document.require(HEADER_LENGTH, "the header");
        int version = document.unsignedByteAt(VERSION_OFFSET);
        if (version != VERSION) {
            throw document.corrupt("layout version " + version + " is not " + VERSION);
        }
        int kind = document.unsignedByteAt(KIND_OFFSET);
        if (kind < KIND_DATA || kind > KIND_ABORT) {
            throw document.corrupt("unknown record kind " + kind);
        }
        int count = document.intAt(COUNT_OFFSET);
        if (kind == KIND_DATA ? count < 1 : count != 0) {
            throw document.corrupt("record count " + count + " does not fit kind " + kind);
        }
        long baseOffset = document.longAt(BASE_OFFSET_OFFSET);
        if (baseOffset < 0) {
            throw document.corrupt("negative base offset " + baseOffset);
        }
        header.kind = kind;
        header.count = count;
        header.epoch = document.longAt(EPOCH_OFFSET);
        header.baseOffset = baseOffset;
        document.skipBytes(HEADER_LENGTH);
    }

    /**
     * Writes one record of a data document into a buffer, as {@link #writeRecord(Bytes, TypeName, byte[])} does into
     * a document: batches collect their records this way, then copy them into the document at once.
     *
     * @param at where the record starts in {@code out}
     * @return where the record ends
     */
    public static int writeRecord(MutableDirectBuffer out, int at, TypeName valueType, byte[] value) {
        int position = RecordFieldWriter.field(out, at, valueType.asUtf8Bytes());
        return RecordFieldWriter.field(out, position, value);
    }

    /** @return the length {@link #writeRecord} gives a record */
    public static int recordLength(TypeName valueType, byte[] value) {
        return 2 * Integer.BYTES + valueType.asUtf8Bytes().length + value.length;
    }

    /** Moves {@code document} past one record of a data document without copying it. */
    public static void skipRecord(RecordFieldReader document) {
        document.skip("value type");
        document.skip("value");
    }
}
