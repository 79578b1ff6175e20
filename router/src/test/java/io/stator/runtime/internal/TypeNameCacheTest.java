package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TypeNameCacheTest {
    /**
     * Names that differ in one byte only, at every position of names of every length from 3 to 40 bytes, each read
     * at an odd offset: each must decode to itself, and come from the cache the second time.
     */
    @Test
    void namesDifferingInAnyOneByteDecodeToThemselvesAndRepeatWithoutParsing() {
        TypeNameCache cache = new TypeNameCache();
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        for (int length = 3; length <= 40; length++) {
            for (int differ = 0; differ < length; differ++) {
                if (differ == 1) {
                    continue; // the slash
                }
                char[] chars = ("a/" + "b".repeat(length - 2)).toCharArray();
                TypeName first = decode(cache, buffer, new String(chars));
                chars[differ] = 'c';
                String otherText = new String(chars);
                TypeName other = decode(cache, buffer, otherText);
                assertEquals(TypeName.parse(otherText), other, "length " + length + ", byte " + differ);
                assertSame(other, decode(cache, buffer, otherText), "cached, length " + length);
                assertSame(first, decode(cache, buffer, first.asString()), "cached, length " + length);
            }
        }
    }

    private static TypeName decode(TypeNameCache cache, UnsafeBuffer buffer, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        buffer.putBytes(7, utf8);
        return cache.get(buffer, 7, utf8.length);
    }
}
