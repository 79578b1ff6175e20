package io.stator.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Compares encoded names with strings, and hashes them as strings, without making the string when it is ASCII (most
 * names are).
 */
public final class Utf8 {
    private Utf8() {
    }

    /** @return whether {@code length} bytes of {@code bytes} at {@code offset} are the UTF-8 encoding of {@code s} */
    public static boolean equals(byte[] bytes, int offset, int length, String s) {
        int chars = s.length();
        if (length < chars) { // UTF-8 takes at least a byte per char
            return false;
        }
        if (length == chars) {
            int i = 0;
            while (i < chars) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break; // needs the encoder (a lone surrogate encodes as one '?')
                }
                if (bytes[offset + i] != (byte) c) {
                    return false;
                }
                i++;
            }
            if (i == chars) {
                return true;
            }
        }
        byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(bytes, offset, offset + length, encoded, 0, encoded.length);
    }

    /** @return the {@link String#hashCode} of the string whose UTF-8 encoding is these bytes */
    public static int stringHash(byte[] bytes, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b < 0) { // not ASCII: a char is not a byte
                return new String(bytes, offset, length, StandardCharsets.UTF_8).hashCode();
            }
            h = 31 * h + b;
        }
        return h;
    }
}
