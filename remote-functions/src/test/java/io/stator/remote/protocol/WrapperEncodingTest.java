package io.stator.remote.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stator.remote.protocol.types.BooleanWrapper;
import io.stator.remote.protocol.types.DoubleWrapper;
import io.stator.remote.protocol.types.FloatWrapper;
import io.stator.remote.protocol.types.IntWrapper;
import io.stator.remote.protocol.types.LongWrapper;
import io.stator.remote.protocol.types.StringWrapper;
import io.stator.sdk.Types;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The SDK's hand-written built-in type encodings ({@link Types}) must produce exactly the bytes of the generated
 * types.proto wrappers, and read them back, for edge values.
 */
class WrapperEncodingTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, -1, 42, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void intMatchesIntWrapper(int v) throws InvalidProtocolBufferException {
        byte[] generated = IntWrapper.newBuilder().setValue(v).build().toByteArray();
        assertArrayEquals(generated, Types.intType().serialize(v));
        assertEquals(v, Types.intType().deserialize(generated));
        assertEquals(v, IntWrapper.parseFrom(Types.intType().serialize(v)).getValue());
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40})
    void longMatchesLongWrapper(long v) throws InvalidProtocolBufferException {
        byte[] generated = LongWrapper.newBuilder().setValue(v).build().toByteArray();
        assertArrayEquals(generated, Types.longType().serialize(v));
        assertEquals(v, Types.longType().deserialize(generated));
        assertEquals(v, LongWrapper.parseFrom(Types.longType().serialize(v)).getValue());
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 1.5f, -1f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NEGATIVE_INFINITY})
    void floatMatchesFloatWrapper(float v) {
        byte[] generated = FloatWrapper.newBuilder().setValue(v).build().toByteArray();
        assertArrayEquals(generated, Types.floatType().serialize(v));
        assertEquals(v, Types.floatType().deserialize(generated));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0d, 1.5d, -1d, Double.MAX_VALUE, Double.MIN_VALUE, Double.POSITIVE_INFINITY})
    void doubleMatchesDoubleWrapper(double v) {
        byte[] generated = DoubleWrapper.newBuilder().setValue(v).build().toByteArray();
        assertArrayEquals(generated, Types.doubleType().serialize(v));
        assertEquals(v, Types.doubleType().deserialize(generated));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Hi", "héllo wörld ✓", "a long string that needs more than one hundred and twenty-eight bytes "
            + "of UTF-8 so that its length prefix takes two varint bytes instead of one............"})
    void stringMatchesStringWrapper(String v) {
        byte[] generated = StringWrapper.newBuilder().setValue(v).build().toByteArray();
        assertArrayEquals(generated, Types.stringType().serialize(v));
        assertEquals(v, Types.stringType().deserialize(generated));
    }

    @Test
    void booleanMatchesBooleanWrapper() {
        for (boolean v : new boolean[] {true, false}) {
            byte[] generated = BooleanWrapper.newBuilder().setValue(v).build().toByteArray();
            assertArrayEquals(generated, Types.booleanType().serialize(v));
            assertEquals(v, Types.booleanType().deserialize(generated));
        }
    }

    @Test
    void knownBytesFromTheFactSheet() {
        HexFormat hex = HexFormat.ofDelimiter(" ");
        assertEquals("0d 01 00 00 00", hex.formatHex(Types.intType().serialize(1)));
        assertEquals("0d ff ff ff ff", hex.formatHex(Types.intType().serialize(-1)));
        assertEquals("09 01 00 00 00 00 00 00 00", hex.formatHex(Types.longType().serialize(1L)));
        assertEquals("0d 00 00 c0 3f", hex.formatHex(Types.floatType().serialize(1.5f)));
        assertEquals("0a 02 48 69", hex.formatHex(Types.stringType().serialize("Hi")));
        assertEquals("08 01", hex.formatHex(Types.booleanType().serialize(true)));
        assertEquals(0, Types.intType().serialize(0).length);
        assertEquals(0, Types.stringType().serialize("").length);
    }
}
