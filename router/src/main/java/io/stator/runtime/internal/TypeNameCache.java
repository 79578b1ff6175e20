package io.stator.runtime.internal;

import io.stator.sdk.TypeName;
import io.stator.sdk.internal.ByteHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    /** The name being decoded, copied out of the buffer. */
    private byte[] scratch = new byte[64];

    TypeName get(DirectBuffer buffer, int offset, int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        byte[] name = scratch;
        buffer.getBytes(offset, name, 0, length); // one copy; then plain array reads, not a checked call per byte
        int hash = ByteHash.of(name, 0, length);
        TypeName[] bucket = byHash.get(hash);
        if (bucket != null) {
            for (TypeName candidate : bucket) {
                byte[] utf8 = candidate.asUtf8Bytes();
                if (Arrays.equals(utf8, 0, utf8.length, name, 0, length)) {
                    return candidate;
                }
            }
        }
        TypeName parsed = TypeName.parse(new String(name, 0, length, StandardCharsets.UTF_8));
        if (size < MAX_ENTRIES) { // an unbounded stream of distinct names should not grow memory forever
            TypeName[] grown;
            if (bucket == null) {
                grown = new TypeName[] {parsed};
            } else {
                grown = Arrays.copyOf(bucket, bucket.length + 1);
                grown[bucket.length] = parsed;
            }
            byHash.put(hash, grown);
            size++;
        }
        return parsed;
    }
}
