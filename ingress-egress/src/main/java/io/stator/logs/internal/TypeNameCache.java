package io.stator.logs.internal;

import io.stator.sdk.TypeName;
import io.stator.sdk.internal.ByteHash;
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
     * @param utf8   holds the name in {@code length} bytes from {@code from}
     * @param from   where the name starts
     * @param length the name's length in bytes
     * @return the type name
     * @throws IllegalArgumentException if the bytes are not {@code namespace/name}
     */
    TypeName get(byte[] utf8, int from, int length) {
        int slot = ByteHash.of(utf8, from, length) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, utf8, from, from + length)) {
            return values[slot];
        }
        TypeName name = TypeName.parse(new String(utf8, from, length, StandardCharsets.UTF_8));
        keys[slot] = Arrays.copyOfRange(utf8, from, from + length);
        values[slot] = name;
        return name;
    }
}
