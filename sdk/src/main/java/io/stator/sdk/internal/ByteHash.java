package io.stator.sdk.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The hash of a byte range for the runtime's in-memory tables keyed by encoded bytes (the state cache's keys, the
 * type-name caches): eight bytes per step, then murmur3's 64-bit finalizer, because those tables index with the low
 * bits and a multiply alone leaves them blind to the high bytes of every word. Not stable across versions: never
 * store it.
 */
public final class ByteHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteHash() {
    }

    /** @return the hash of {@code length} bytes of {@code bytes} from {@code from} */
    public static int of(byte[] bytes, int from, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = from;
        int end = from + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(bytes, i)) * 0xFF51AFD7ED558CCDL;
        }
        if (i < end) { // the last 1-7 bytes as one word: a multiply per byte was a long chain of them
            long tail = 0;
            for (int shift = 0; i < end; i++, shift += Byte.SIZE) {
                tail |= (bytes[i] & 0xFFL) << shift;
            }
            h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
