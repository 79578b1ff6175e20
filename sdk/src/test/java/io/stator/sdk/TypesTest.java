package io.stator.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@link Types}: StateFun's type names, and the exact wrapper bytes of
 * {@code /work/shared/statefun-wire.md} §4 (verified output of StateFun's SDK 3.3.0).
 */
final class TypesTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private static byte[] hex(String spaced) {
        return spaced.isEmpty() ? new byte[0] : HEX.parseHex(spaced);
    }

    private static <T> void assertEncodes(Type<T> type, T value, String expectedHex) {
        byte[] bytes = type.serialize(value);
        assertEquals(expectedHex, HEX.formatHex(bytes), () -> type + " of " + value);
        assertEquals(value, type.deserialize(hex(expectedHex)), () -> type + " decoding " + expectedHex);
    }

    private static <T> void assertRoundTrips(Type<T> type, List<T> values) {
        for (T value : values) {
            assertEquals(value, type.deserialize(type.serialize(value)), () -> type + " round trip of " + value);
        }
    }

    @Test
    void typeNamesAreStateFunsBuiltInNames() {
        assertEquals("io.statefun.types/bool", Types.booleanType().typeName().asString());
        assertEquals("io.statefun.types/int", Types.intType().typeName().asString());
        assertEquals("io.statefun.types/long", Types.longType().typeName().asString());
        assertEquals("io.statefun.types/float", Types.floatType().typeName().asString());
        assertEquals("io.statefun.types/double", Types.doubleType().typeName().asString());
        assertEquals("io.statefun.types/string", Types.stringType().typeName().asString());
    }

    @Test
    void builtInTypeFindsEachBuiltInByNameAndNothingElse() {
        assertSame(Types.booleanType(), Types.builtInType(Types.BOOLEAN_TYPENAME));
        assertSame(Types.intType(), Types.builtInType(Types.INT_TYPENAME));
        assertSame(Types.longType(), Types.builtInType(Types.LONG_TYPENAME));
        assertSame(Types.floatType(), Types.builtInType(Types.FLOAT_TYPENAME));
        assertSame(Types.doubleType(), Types.builtInType(Types.DOUBLE_TYPENAME));
        assertSame(Types.stringType(), Types.builtInType(Types.STRING_TYPENAME));
        assertNull(Types.builtInType(TypeName.typeNameOf(Types.BUILT_IN_NAMESPACE, "unset")));
        assertNull(Types.builtInType(TypeName.typeNameOf("example", "int")));
    }

    @Test
    void booleanEncodesAsStateFunsBooleanWrapper() {
        assertEncodes(Types.booleanType(), true, "08 01");
        assertEncodes(Types.booleanType(), false, "");
    }

    @Test
    void intEncodesAsLittleEndianSfixed32() {
        assertEncodes(Types.intType(), 1, "0d 01 00 00 00");
        assertEncodes(Types.intType(), -1, "0d ff ff ff ff");
        assertEncodes(Types.intType(), 0, "");
        assertEncodes(Types.intType(), 0x01020304, "0d 04 03 02 01");
    }

    @Test
    void longEncodesAsLittleEndianSfixed64() {
        assertEncodes(Types.longType(), 1L, "09 01 00 00 00 00 00 00 00");
        assertEncodes(Types.longType(), 0L, "");
        assertEncodes(Types.longType(), Long.MIN_VALUE, "09 00 00 00 00 00 00 00 80");
    }

    @Test
    void floatEncodesAsFixed32Bits() {
        assertEncodes(Types.floatType(), 1.5f, "0d 00 00 c0 3f");
        assertEncodes(Types.floatType(), 0.0f, "");
    }

    @Test
    void doubleEncodesAsFixed64Bits() {
        assertEncodes(Types.doubleType(), 1.5d, "09 00 00 00 00 00 00 f8 3f");
        assertEncodes(Types.doubleType(), 0.0d, "");
    }

    @Test
    void stringEncodesAsLengthDelimitedUtf8() {
        assertEncodes(Types.stringType(), "Hi", "0a 02 48 69");
        assertEncodes(Types.stringType(), "", "");
    }

    @Test
    void negativeZeroKeepsItsSignBitOnTheWire() {
        // proto3 elides only +0.0 (all bits zero); -0.0 is written, as protobuf-java does.
        assertEquals("0d 00 00 00 80", HEX.formatHex(Types.floatType().serialize(-0.0f)));
        assertEquals("09 00 00 00 00 00 00 00 80", HEX.formatHex(Types.doubleType().serialize(-0.0d)));
        assertEquals(Float.floatToRawIntBits(-0.0f),
                Float.floatToRawIntBits(Types.floatType().deserialize(Types.floatType().serialize(-0.0f))));
        assertEquals(Double.doubleToRawLongBits(-0.0d),
                Double.doubleToRawLongBits(Types.doubleType().deserialize(Types.doubleType().serialize(-0.0d))));
    }

    @Test
    void edgeValuesRoundTrip() {
        assertRoundTrips(Types.booleanType(), List.of(true, false));
        assertRoundTrips(Types.intType(), List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1, 127, 128));
        assertRoundTrips(Types.longType(), List.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L, 1L << 40));
        assertRoundTrips(Types.floatType(), List.of(Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f));
        assertRoundTrips(Types.doubleType(), List.of(Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1d));
    }

    @Test
    void aStringLongerThan127BytesTakesATwoByteLength() {
        String s = "x".repeat(200);

        byte[] bytes = Types.stringType().serialize(s);

        assertEquals(1 + 2 + 200, bytes.length);
        assertEquals("0a c8 01", HEX.formatHex(bytes, 0, 3)); // 200 = 0x48 | 0x80, then 0x01
        assertEquals(s, Types.stringType().deserialize(bytes));
    }

    @Test
    void stringLengthsAtVarintBoundariesRoundTrip() {
        for (int length : new int[] {1, 127, 128, 16_383, 16_384, 70_000}) {
            String s = "y".repeat(length);
            assertEquals(s, Types.stringType().deserialize(Types.stringType().serialize(s)), "length " + length);
        }
    }

    @Test
    void nonAsciiStringsAreEncodedAsUtf8() {
        String s = "grüße, 世界 🙂";

        byte[] bytes = Types.stringType().serialize(s);

        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(utf8.length, bytes[1]);
        assertArrayEquals(utf8, java.util.Arrays.copyOfRange(bytes, 2, bytes.length));
        assertEquals(s, Types.stringType().deserialize(bytes));
    }

    @Test
    void serializingNullFailsNamingTheType() {
        NullPointerException e =
                assertThrows(NullPointerException.class, () -> Types.intType().serialize(null));

        assertTrue(e.getMessage().contains("io.statefun.types/int"), e.getMessage());
    }
}
