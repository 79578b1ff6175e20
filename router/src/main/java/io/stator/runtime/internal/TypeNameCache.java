package io.stator.runtime.internal;

import io.stator.sdk.TypeName;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Decodes type names from buffers without allocating for names seen before: a runtime sees a handful of
 * function and value types over and over. Single-threaded (one per partition).
 */
final class TypeNameCache {
    private static final int MAX_ENTRIES = 4096;

    private final Int2ObjectHashMap<TypeName[]> byHash = new Int2ObjectHashMap<>();
    private int size;

    TypeName get(DirectBuffer buffer, int offset, int length) {
        int hash = hash(buffer, offset, length);
        TypeName[] bucket = byHash.get(hash);
        if (bucket != null) {
            for (TypeName candidate : bucket) {
                if (sameBytes(candidate.asUtf8Bytes(), buffer, offset, length)) {
                    return candidate;
                }
            }
        }
        TypeName parsed = TypeName.parse(buffer.getStringWithoutLengthUtf8(offset, length));
        if (size < MAX_ENTRIES) { // an unbounded stream of distinct names should not grow memory forever
            TypeName[] grown;
            if (bucket == null) {
                grown = new TypeName[] {parsed};
            } else {
                grown = java.util.Arrays.copyOf(bucket, bucket.length + 1);
                grown[bucket.length] = parsed;
            }
            byHash.put(hash, grown);
            size++;
        }
        return parsed;
    }

    private static int hash(DirectBuffer buffer, int offset, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buffer.getByte(offset + i);
        }
        return h;
    }

    private static boolean sameBytes(byte[] expected, DirectBuffer buffer, int offset, int length) {
        if (expected.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (expected[i] != buffer.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }
}
