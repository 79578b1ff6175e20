package io.stator.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link WrapperCodec}'s decoding rules: protobuf's (unknown fields skipped, the last field 1 wins, empty means
 * default) and clear {@link IllegalArgumentException}s for malformed input. The exact encodings are in
 * {@code TypesTest}.
 */
final class WrapperCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** Unknown fields 2..5 of every wire type: varint, length-delimited, fixed32, fixed64. */
    private static final String UNKNOWN_FIELDS = "10 96 01 1a 03 41 42 43 25 01 02 03 04 29 01 02 03 04 05 06 07 08";

    private static byte[] hex(String spaced) {
        return HEX.parseHex(spaced);
    }

    private static void assertMalformed(Function<byte[], ?> decoder, String input, String what, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decoder.apply(hex(input)));
        assertTrue(e.getMessage().startsWith("not a valid " + what + " wrapper"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void emptyInputDecodesToTheDefault() {
        byte[] empty = new byte[0];

        assertFalse(WrapperCodec.decodeBoolean(empty));
        assertEquals(0, WrapperCodec.decodeInt(empty));
        assertEquals(0L, WrapperCodec.decodeLong(empty));
        assertEquals(0f, WrapperCodec.decodeFloat(empty));
        assertEquals(0d, WrapperCodec.decodeDouble(empty));
        assertEquals("", WrapperCodec.decodeString(empty));
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() {
        assertTrue(WrapperCodec.decodeBoolean(hex(UNKNOWN_FIELDS + " 08 01 " + UNKNOWN_FIELDS)));
        assertEquals(7, WrapperCodec.decodeInt(hex(UNKNOWN_FIELDS + " 0d 07 00 00 00 " + UNKNOWN_FIELDS)));
        assertEquals(7L, WrapperCodec.decodeLong(hex(UNKNOWN_FIELDS + " 09 07 00 00 00 00 00 00 00")));
        assertEquals(1.5f, WrapperCodec.decodeFloat(hex("0d 00 00 c0 3f " + UNKNOWN_FIELDS)));
        assertEquals(1.5d, WrapperCodec.decodeDouble(hex(UNKNOWN_FIELDS + " 09 00 00 00 00 00 00 f8 3f")));
        assertEquals("Hi", WrapperCodec.decodeString(hex(UNKNOWN_FIELDS + " 0a 02 48 69 " + UNKNOWN_FIELDS)));
    }

    @Test
    void onlyUnknownFieldsDecodeToTheDefault() {
        assertEquals(0, WrapperCodec.decodeInt(hex(UNKNOWN_FIELDS)));
        assertEquals("", WrapperCodec.decodeString(hex(UNKNOWN_FIELDS)));
    }

    @Test
    void theLastField1Wins() {
        assertFalse(WrapperCodec.decodeBoolean(hex("08 01 08 00")));
        assertEquals(2, WrapperCodec.decodeInt(hex("0d 01 00 00 00 0d 02 00 00 00")));
        assertEquals(2L, WrapperCodec.decodeLong(hex("09 01 00 00 00 00 00 00 00 09 02 00 00 00 00 00 00 00")));
        assertEquals("b", WrapperCodec.decodeString(hex("0a 01 61 10 05 0a 01 62")));
    }

    @Test
    void anyNonZeroBooleanVarintIsTrue() {
        assertTrue(WrapperCodec.decodeBoolean(hex("08 02")));
        assertTrue(WrapperCodec.decodeBoolean(hex("08 ff 01")));
        // 2^63 as a 10-byte varint: once read as false because it equals the decoder's "absent" sentinel.
        assertTrue(WrapperCodec.decodeBoolean(hex("08 80 80 80 80 80 80 80 80 80 01")));
    }

    @Test
    void aTruncatedFixedWidthValueIsRejected() {
        assertMalformed(WrapperCodec::decodeInt, "0d 01 00 00", "int", "truncated");
        assertMalformed(WrapperCodec::decodeLong, "09 01 00 00 00 00 00 00", "long", "truncated");
        assertMalformed(WrapperCodec::decodeFloat, "0d 00", "float", "truncated");
        assertMalformed(WrapperCodec::decodeDouble, "09", "double", "truncated");
    }

    @Test
    void aTruncatedVarintIsRejected() {
        assertMalformed(WrapperCodec::decodeBoolean, "08 80", "boolean", "truncated varint");
        assertMalformed(WrapperCodec::decodeString, "0a", "string", "truncated varint");
        assertMalformed(WrapperCodec::decodeInt, "80", "int", "truncated varint");
    }

    @Test
    void aVarintLongerThanTenBytesIsRejected() {
        assertMalformed(WrapperCodec::decodeBoolean, "08 80 80 80 80 80 80 80 80 80 80 01", "boolean",
                "longer than 10 bytes");
    }

    @Test
    void aStringLengthPastTheEndIsRejected() {
        assertMalformed(WrapperCodec::decodeString, "0a 05 48 69", "string", "length 5 runs past the end");
        assertMalformed(WrapperCodec::decodeInt, "1a 05 48 69", "int", "runs past the end");
    }

    @Test
    void field1WithTheWrongWireTypeIsRejectedNamingBothWireTypes() {
        assertMalformed(WrapperCodec::decodeInt, "08 01", "int", "field 1 has wire type 0, expected 5");
        assertMalformed(WrapperCodec::decodeLong, "0d 01 00 00 00", "long", "field 1 has wire type 5, expected 1");
        assertMalformed(WrapperCodec::decodeString, "08 01", "string", "field 1 has wire type 0, expected 2");
        assertMalformed(WrapperCodec::decodeBoolean, "0a 01 01", "boolean", "field 1 has wire type 2, expected 0");
    }

    @Test
    void groupWireTypesAndFieldZeroAreRejected() {
        assertMalformed(WrapperCodec::decodeInt, "13 14", "int", "unsupported wire type 3");
        assertMalformed(WrapperCodec::decodeInt, "00 01", "int", "field number 0");
    }

    @Test
    void encodersAndDecodersAgreeOnEdgeValues() {
        for (int v : new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}) {
            assertEquals(v, WrapperCodec.decodeInt(WrapperCodec.encodeInt(v)));
        }
        for (long v : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
            assertEquals(v, WrapperCodec.decodeLong(WrapperCodec.encodeLong(v)));
        }
        int nanBits = Float.floatToRawIntBits(Float.NaN);
        assertEquals(nanBits, Float.floatToRawIntBits(WrapperCodec.decodeFloat(WrapperCodec.encodeFloat(Float.NaN))));
        long dNanBits = Double.doubleToRawLongBits(Double.NaN);
        assertEquals(dNanBits,
                Double.doubleToRawLongBits(WrapperCodec.decodeDouble(WrapperCodec.encodeDouble(Double.NaN))));
    }
}
