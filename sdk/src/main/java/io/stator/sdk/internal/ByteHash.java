package io.stator.sdk.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A hash of a byte range for the runtime's in-memory lookups by encoded name (type-name caches): eight bytes per
 * step, where a byte-at-a-time loop over 10-40 byte names was ~2% of a partition's time (JFR, W3). Not stable
 * across versions: never store it.
 */
public final class ByteHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private ByteHash() {
    }

    /** @return the hash of {@code length} bytes of {@code bytes} from {@code from} */
    public static int of(byte[] bytes, int from, int length) {
        long h = length;
        int i = from;
        int end = from + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(bytes, i)) * MULTIPLIER;
        }
        for (; i < end; i++) {
            h = (h ^ bytes[i]) * MULTIPLIER;
        }
        return (int) (h >>> 32); // a product's high bits depend on all of its input's
    }
}
