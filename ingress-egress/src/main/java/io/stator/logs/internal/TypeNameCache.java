package io.stator.logs.internal;

import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the UTF-8 bytes of a type name into a {@link TypeName} without allocating when the name was seen
 * recently. A log names few distinct types, so a small direct-mapped table hits almost always. Single-threaded.
 */
final class TypeNameCache {
    private static final int SLOTS = 64; // a power of two

    private final byte[][] keys = new byte[SLOTS][];
    private final TypeName[] values = new TypeName[SLOTS];

    /**
     * @param utf8   holds the name in its first {@code length} bytes
     * @param length the name's length in bytes
     * @return the type name
     * @throws IllegalArgumentException if the bytes are not {@code namespace/name}
     */
    TypeName get(byte[] utf8, int length) {
        int slot = hash(utf8, length) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, utf8, 0, length)) {
            return values[slot];
        }
        TypeName name = TypeName.parse(new String(utf8, 0, length, StandardCharsets.UTF_8));
        keys[slot] = Arrays.copyOf(utf8, length);
        values[slot] = name;
        return name;
    }

    private static int hash(byte[] bytes, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16);
    }
}
