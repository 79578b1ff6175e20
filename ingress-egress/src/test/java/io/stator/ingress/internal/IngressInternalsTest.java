package io.stator.ingress.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.logs.CorruptRecordException;
import io.stator.logs.internal.RecordFieldReader;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.web.internal.HttpProblem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

class IngressInternalsTest {
    private static final Address TARGET = Address.of("example", "greeter", "alice");
    private static final TypeName BLOB = TypeName.typeNameOf("example", "blob");

    @Test
    void theKeyGroupComesFirstInTheRecord() {
        Bytes<?> bytes = encoded(77, TARGET, new byte[] {5}, "key");
        assertEquals(77, bytes.readInt(IngressRecordDescriptor.KEY_GROUP_OFFSET));
        assertEquals(IngressRecordDescriptor.VERSION, bytes.readUnsignedByte(IngressRecordDescriptor.VERSION_OFFSET));
        assertEquals(IngressRecordDescriptor.FLAG_IDEMPOTENCY_KEY,
                bytes.readUnsignedByte(IngressRecordDescriptor.FLAGS_OFFSET));

        RecordFieldReader fields = new RecordFieldReader("test log");
        fields.load(bytes, 0);
        assertEquals("key", IngressRecordCodec.readIdempotencyKey(fields));
        fields.load(encoded(1, TARGET, new byte[0], null), 1);
        assertNull(IngressRecordCodec.readIdempotencyKey(fields));
    }

    @Test
    void everyFieldReadsBackAsWrittenWhatEverItsCharacters() {
        Address target = Address.of("example", "greeter", "zoë/😀/" + "x".repeat(300));
        RecordFieldReader fields = new RecordFieldReader("test log");
        IngressRecordEncoder encoder = new IngressRecordEncoder();
        for (int round = 0; round < 2; round++) { // the second round reuses the grown buffer
            byte[] value = new byte[500 * (round + 1)];
            value[value.length - 1] = 9;
            encoder.encode(3, target, BLOB, value, null);
            fields.load(Bytes.wrapForRead(Arrays.copyOf(encoder.buffer(), encoder.length())), 5);

            assertEquals(3, IngressRecordCodec.readHeader(fields));
            assertEquals(target.type(), fields.typeName("target type"));
            assertEquals(target.id(), fields.utf8("target id"));
            assertEquals(BLOB, fields.typeName("value type"));
            assertArrayEquals(value, fields.bytes("value"));
            assertEquals(0, fields.remaining(), "nothing after the last field");
        }
    }

    @Test
    void aTruncatedRecordIsReportedAsCorrupt() {
        Bytes<?> bytes = encoded(1, TARGET, new byte[] {1, 2, 3}, null);
        Bytes<?> truncated = Bytes.allocateElasticOnHeap(64);
        truncated.write(bytes, 0, bytes.readRemaining() - 2);
        RecordFieldReader fields = new RecordFieldReader("test log");
        fields.load(truncated, 9);
        IngressRecordCodec.readHeader(fields);
        fields.skip("target type");
        fields.skip("target id");
        fields.skip("value type");
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> fields.bytes("value"));
        assertTrue(e.getMessage().contains("test log") && e.getMessage().contains("index 9")
                && e.getMessage().contains("value length 3 does not fit the 1 bytes left"), e.getMessage());
    }

    private static Bytes<?> encoded(int keyGroup, Address target, byte[] value, String key) {
        IngressRecordEncoder encoder = new IngressRecordEncoder()
                .encode(keyGroup, target, BLOB, value, key == null ? null : key.getBytes(StandardCharsets.UTF_8));
        Bytes<?> bytes = Bytes.allocateElasticOnHeap(64);
        bytes.write(encoder.buffer(), 0, encoder.length());
        return bytes;
    }

    @Test
    void builtInPayloadsAreParsedStrictly() {
        assertArrayEquals(Types.intType().serialize(-5), BuiltInPayloads.encode(Types.INT_TYPENAME, bytes(" -5\n")));
        assertArrayEquals(Types.doubleType().serialize(Double.NaN),
                BuiltInPayloads.encode(Types.DOUBLE_TYPENAME, bytes("NaN")));
        assertArrayEquals(Types.stringType().serialize(" keep spaces "),
                BuiltInPayloads.encode(Types.STRING_TYPENAME, bytes(" keep spaces ")));
        assertArrayEquals(new byte[] {1, 2}, BuiltInPayloads.encode(BLOB, new byte[] {1, 2}));
        for (String[] bad : new String[][] {{"int", "1.0"}, {"int", "0x10"}, {"long", "99999999999999999999"},
            {"bool", "TRUE"}, {"float", "1f"}, {"double", ""}}) {
            HttpProblem problem = assertThrows(HttpProblem.class, () -> BuiltInPayloads.encode(
                    TypeName.typeNameOf(Types.BUILT_IN_NAMESPACE, bad[0]), bytes(bad[1])), bad[0] + " " + bad[1]);
            assertEquals(400, problem.status());
        }
    }

    @Test
    void pathsParseToAddresses() {
        assertEquals(TARGET, IngressPath.parse("/v1/ingress/example/greeter/alice"));
        assertEquals(Address.of("a/b", "c", "x/y"), IngressPath.parse("/v1/ingress/a/b/c/x%2Fy"));
        assertEquals(404, assertThrows(HttpProblem.class, () -> IngressPath.parse("/v2/x/y/z")).status());
        assertEquals(400, assertThrows(HttpProblem.class, () -> IngressPath.parse("/v1/ingress/a/b")).status());
    }

    @Test
    void idempotencyKeysForgetTheOldestAndReleaseFailedClaims() {
        IdempotencyKeys keys = new IdempotencyKeys(2);
        IdempotencyKeys.Claim a = keys.claim("a");
        assertTrue(a.owner());
        assertFalse(keys.claim("a").owner());
        keys.release("a", a, new IllegalStateException("append failed"));
        assertTrue(a.position().isCompletedExceptionally());
        assertTrue(keys.claim("a").owner(), "a failed claim is forgotten");
        keys.remember("b", 2);
        keys.remember("c", 3);
        assertEquals(2, keys.size());
        assertTrue(keys.claim("a").owner(), "a was the oldest");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
