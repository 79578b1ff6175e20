package io.stator.sdk.internal;

import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes StateFun's primitive wrapper messages ({@code io.statefun.sdk.types.*Wrapper}) by
 * hand, so the SDK needs no protobuf runtime. Each wrapper is a protobuf message with the value in field 1:
 * bool as varint, int as sfixed32, long as sfixed64, float as fixed32, double as fixed64, string as a
 * length-delimited UTF-8 field. proto3 leaves default values (0, false, "", 0.0) out, so they encode to
 * zero bytes, and an empty input decodes to the default.
 *
 * <p>Decoding follows protobuf's rules: unknown fields are skipped and the last occurrence of field 1 wins. The
 * fixed-width decoders first check for the one layout their encoders write (the tag, then the value, nothing
 * else) and read it without a scan; the scan was ~4% of a partition's CPU in W1 (JFR).
 */
public final class WrapperCodec {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private static final byte[] EMPTY = new byte[0];

    private WrapperCodec() {
    }

    public static byte[] encodeBoolean(boolean value) {
        return value ? new byte[] {0x08, 0x01} : EMPTY;
    }

    public static byte[] encodeInt(int value) {
        if (value == 0) {
            return EMPTY;
        }
        byte[] out = new byte[5];
        out[0] = 0x0d;
        putIntLE(out, 1, value);
        return out;
    }

    public static byte[] encodeLong(long value) {
        if (value == 0) {
            return EMPTY;
        }
        byte[] out = new byte[9];
        out[0] = 0x09;
        putLongLE(out, 1, value);
        return out;
    }

    public static byte[] encodeFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (bits == 0) { // +0.0 is the proto3 default; -0.0 has a sign bit and is kept
            return EMPTY;
        }
        byte[] out = new byte[5];
        out[0] = 0x0d;
        putIntLE(out, 1, bits);
        return out;
    }

    public static byte[] encodeDouble(double value) {
        long bits = Double.doubleToRawLongBits(value);
        if (bits == 0) {
            return EMPTY;
        }
        byte[] out = new byte[9];
        out[0] = 0x09;
        putLongLE(out, 1, bits);
        return out;
    }

    public static byte[] encodeString(String value) {
        if (value.isEmpty()) {
            return EMPTY;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int lenSize = varintSize(utf8.length);
        byte[] out = new byte[1 + lenSize + utf8.length];
        out[0] = 0x0a;
        int pos = 1;
        long v = utf8.length;
        while ((v & ~0x7FL) != 0) {
            out[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        System.arraycopy(utf8, 0, out, pos, utf8.length);
        return out;
    }

    public static boolean decodeBoolean(byte[] bytes) {
        long raw = findField1(bytes, WIRE_VARINT, "boolean");
        return raw != NOT_FOUND && raw != 0;
    }

    public static int decodeInt(byte[] bytes) {
        if (bytes.length == 5 && bytes[0] == 0x0d) {
            return getIntLE(bytes, 1);
        }
        long pos = findField1(bytes, WIRE_FIXED32, "int");
        return pos == NOT_FOUND ? 0 : getIntLE(bytes, (int) pos);
    }

    public static long decodeLong(byte[] bytes) {
        if (bytes.length == 9 && bytes[0] == 0x09) {
            return getLongLE(bytes, 1); // the only field, as encodeLong writes it: no scan
        }
        long pos = findField1(bytes, WIRE_FIXED64, "long");
        return pos == NOT_FOUND ? 0L : getLongLE(bytes, (int) pos);
    }

    public static float decodeFloat(byte[] bytes) {
        if (bytes.length == 5 && bytes[0] == 0x0d) {
            return Float.intBitsToFloat(getIntLE(bytes, 1));
        }
        long pos = findField1(bytes, WIRE_FIXED32, "float");
        return pos == NOT_FOUND ? 0f : Float.intBitsToFloat(getIntLE(bytes, (int) pos));
    }

    public static double decodeDouble(byte[] bytes) {
        if (bytes.length == 9 && bytes[0] == 0x09) {
            return Double.longBitsToDouble(getLongLE(bytes, 1));
        }
        long pos = findField1(bytes, WIRE_FIXED64, "double");
        return pos == NOT_FOUND ? 0d : Double.longBitsToDouble(getLongLE(bytes, (int) pos));
    }

    public static String decodeString(byte[] bytes) {
        long found = findField1(bytes, WIRE_LENGTH_DELIMITED, "string");
        if (found == NOT_FOUND) {
            return "";
        }
        int pos = (int) (found >>> 32);
        int len = (int) found;
        return new String(bytes, pos, len, StandardCharsets.UTF_8);
    }

    private static final long NOT_FOUND = Long.MIN_VALUE;

    /**
     * Scans a message for the last occurrence of field 1 with the expected wire type and returns: for
     * varint (only bool uses it), 1 if it is non-zero and 0 otherwise; for fixed32/fixed64, the offset of
     * its payload; for length-delimited, offset in the high 32 bits and length in the low 32 bits.
     * Returns NOT_FOUND when field 1 is absent.
     */
    private static long findField1(byte[] b, int expectedWireType, String what) {
        long result = NOT_FOUND;
        int pos = 0;
        while (pos < b.length) {
            long[] tagAndPos = readVarint(b, pos, what);
            long tag = tagAndPos[0];
            pos = (int) tagAndPos[1];
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                throw malformed(what, "field number 0");
            }
            if (field == 1 && wireType != expectedWireType) {
                throw malformed(what, "field 1 has wire type " + wireType + ", expected " + expectedWireType);
            }
            switch (wireType) {
                case WIRE_VARINT -> {
                    long[] v = readVarint(b, pos, what);
                    if (field == 1) {
                        // Folded to 0/1: a raw varint of 2^63 would equal NOT_FOUND and read as false.
                        result = v[0] == 0 ? 0 : 1;
                    }
                    pos = (int) v[1];
                }
                case WIRE_FIXED64 -> {
                    require(b, pos, 8, what);
                    if (field == 1) {
                        result = pos;
                    }
                    pos += 8;
                }
                case WIRE_FIXED32 -> {
                    require(b, pos, 4, what);
                    if (field == 1) {
                        result = pos;
                    }
                    pos += 4;
                }
                case WIRE_LENGTH_DELIMITED -> {
                    long[] v = readVarint(b, pos, what);
                    long len = v[0];
                    pos = (int) v[1];
                    if (len < 0 || len > b.length - pos) {
                        throw malformed(what, "length " + len + " runs past the end");
                    }
                    if (field == 1) {
                        result = ((long) pos << 32) | len;
                    }
                    pos += (int) len;
                }
                default -> throw malformed(what, "unsupported wire type " + wireType);
            }
        }
        return result;
    }

    private static long[] readVarint(byte[] b, int pos, String what) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= b.length) {
                throw malformed(what, "truncated varint");
            }
            byte x = b[pos++];
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {value, pos};
            }
        }
        throw malformed(what, "varint longer than 10 bytes");
    }

    private static void require(byte[] b, int pos, int n, String what) {
        if (b.length - pos < n) {
            throw malformed(what, "truncated fixed-width field");
        }
    }

    private static IllegalArgumentException malformed(String what, String why) {
        return new IllegalArgumentException("not a valid " + what + " wrapper: " + why);
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void putLongLE(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private static long getLongLE(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
