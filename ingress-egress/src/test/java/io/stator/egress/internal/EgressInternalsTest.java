package io.stator.egress.internal;

import static io.stator.egress.internal.EgressRecordDescriptor.KIND_ABORT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_COMMIT;
import static io.stator.egress.internal.EgressRecordDescriptor.KIND_DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stator.logs.CorruptRecordException;
import io.stator.logs.internal.RecordFieldReader;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.HttpProblem;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

class EgressInternalsTest {
    @Test
    void documentsFollowTheDescribedLayout() {
        Bytes<?> bytes = Bytes.allocateElasticOnHeap(64);
        EgressRecordCodec.writeHeader(bytes, KIND_DATA, 2, 42, 1000);
        EgressRecordCodec.writeRecord(bytes, Types.INT_TYPENAME, new byte[] {9});
        EgressRecordCodec.writeRecord(bytes, Types.STRING_TYPENAME, new byte[] {8, 7});
        assertEquals(KIND_DATA, bytes.readUnsignedByte(EgressRecordDescriptor.KIND_OFFSET));
        assertEquals(EgressRecordDescriptor.VERSION, bytes.readUnsignedByte(EgressRecordDescriptor.VERSION_OFFSET));
        assertEquals(2, bytes.readInt(EgressRecordDescriptor.COUNT_OFFSET));
        assertEquals(42, bytes.readLong(EgressRecordDescriptor.EPOCH_OFFSET));
        assertEquals(1000, bytes.readLong(EgressRecordDescriptor.BASE_OFFSET_OFFSET));
        RecordFieldReader fields = new RecordFieldReader("test log");
        EgressRecordCodec.Header header = new EgressRecordCodec.Header();
        fields.load(bytes, 0);
        EgressRecordCodec.readHeader(fields, header);
        assertEquals(KIND_DATA, header.kind());
        assertEquals(42, header.epoch());
        assertEquals(1002, header.endOffset());
        EgressRecordCodec.skipRecord(fields);
        assertEquals(Types.STRING_TYPENAME, fields.typeName("value type"));
        assertArrayEquals(new byte[] {8, 7}, fields.bytes("value"));
        assertEquals(0, fields.remaining());
        fields.load(bytes, 0, 0, EgressRecordDescriptor.HEADER_LENGTH);
        assertEquals(EgressRecordDescriptor.HEADER_LENGTH, fields.remaining(), "a header-only load copies the header");

        Bytes<?> unknown = Bytes.allocateElasticOnHeap(64);
        EgressRecordCodec.writeHeader(unknown, 9, 0, 1, 0);
        fields.load(unknown, 0);
        assertThrows(CorruptRecordException.class, () -> EgressRecordCodec.readHeader(fields, header));
        Bytes<?> emptyBatch = Bytes.allocateElasticOnHeap(64);
        EgressRecordCodec.writeHeader(emptyBatch, KIND_DATA, 0, 1, 0);
        fields.load(emptyBatch, 0);
        assertThrows(CorruptRecordException.class, () -> EgressRecordCodec.readHeader(fields, header));
        Bytes<?> markerWithRecords = Bytes.allocateElasticOnHeap(64);
        EgressRecordCodec.writeHeader(markerWithRecords, KIND_COMMIT, 1, 1, 0);
        fields.load(markerWithRecords, 0);
        assertThrows(CorruptRecordException.class, () -> EgressRecordCodec.readHeader(fields, header));
    }

    @Test
    void theLedgerDecidesEpochsFromMarkers() {
        EpochLedger ledger = new EpochLedger(true);
        ledger.apply(KIND_DATA, 1);
        ledger.apply(KIND_DATA, 2);
        ledger.apply(KIND_DATA, 3);
        assertEquals(EpochLedger.Decision.OPEN, ledger.decide(1));
        ledger.apply(KIND_ABORT, 2);
        ledger.apply(KIND_COMMIT, 3);
        assertEquals(EpochLedger.Decision.COMMITTED, ledger.decide(1));
        assertEquals(EpochLedger.Decision.ABORTED, ledger.decide(2));
        assertEquals(EpochLedger.Decision.COMMITTED, ledger.decide(3));
        assertEquals(EpochLedger.Decision.OPEN, ledger.decide(4));
        assertEquals(3, ledger.lastCommitted());
        assertArrayEquals(new long[0], ledger.openEpochs());
        assertArrayEquals(new long[] {2}, ledger.abortedEpochs());
    }

    @Test
    void jsonLinesShowBuiltInValuesReadably() {
        assertEquals("{\"offset\":1,\"epoch\":2,\"type\":\"io.statefun.types/bool\",\"value\":true}",
                EgressJson.line(1, 2, Types.BOOLEAN_TYPENAME, Types.booleanType().serialize(true)));
        assertEquals("{\"offset\":1,\"epoch\":2,\"type\":\"io.statefun.types/long\",\"value\":-3}",
                EgressJson.line(1, 2, Types.LONG_TYPENAME, Types.longType().serialize(-3L)));
        assertEquals("{\"offset\":1,\"epoch\":2,\"type\":\"io.statefun.types/float\",\"value\":\"Infinity\"}",
                EgressJson.line(1, 2, Types.FLOAT_TYPENAME, Types.floatType().serialize(Float.POSITIVE_INFINITY)));
        assertEquals("{\"offset\":1,\"epoch\":2,\"type\":\"io.statefun.types/int\",\"valueBase64\":\"/w==\"}",
                EgressJson.line(1, 2, Types.INT_TYPENAME, new byte[] {(byte) 0xff}), "invalid bytes show as base64");
    }

    @Test
    void requestsParseFromPathsAndParameters() {
        EgressRequest page = EgressRequest.parse("/v1/egress/a/b/out", query("from", "5", "max", "7"), null);
        assertEquals(new EgressRequest(TypeName.parse("a/b/out"), false, 5, 7, false), page);
        EgressRequest stream = EgressRequest.parse("/v1/egress/a/out/stream", query("uncommitted", "true"), "9");
        assertEquals(new EgressRequest(TypeName.parse("a/out"), true, 10, EgressRequest.DEFAULT_MAX, true), stream);
        assertEquals(TypeName.parse("a/stream"), EgressRequest.parse("/v1/egress/a/stream", Map.of(), null).egress());
        assertEquals(400, assertThrows(HttpProblem.class,
                () -> EgressRequest.parse("/v1/egress/a/out", query("max", "10001"), null)).status());
        assertEquals(400, assertThrows(HttpProblem.class,
                () -> EgressRequest.parse("/v1/egress/a/out/stream", Map.of(), "x")).status());
    }

    private static Map<String, Deque<String>> query(String... pairs) {
        Map<String, Deque<String>> query = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.computeIfAbsent(pairs[i], k -> new ArrayDeque<>()).add(pairs[i + 1]);
        }
        return query;
    }
}
