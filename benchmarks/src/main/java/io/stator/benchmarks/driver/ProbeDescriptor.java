package io.stator.benchmarks.driver;

import io.stator.sdk.TypeName;

/**
 * The payload of every benchmark message, the "probe": which message it is and when it was appended, so the
 * driver can check exactly-once delivery and measure latency from the egress record alone. All fields are
 * little-endian {@code long}s.
 *
 * <pre>
 *   ingress probe (16 bytes)            egress probe (24 bytes)
 *   0         8          16             0         8          16         24
 *   +---------+----------+              +---------+----------+----------+
 *   |  index  | appendNs |              |  index  | appendNs |  count   |
 *   +---------+----------+              +---------+----------+----------+
 * </pre>
 *
 * {@code index} is the message's number, {@code 0 .. msgs-1}; {@code appendNs} is {@link System#nanoTime()} taken
 * just before the producer appended the message to the ingress log; {@code count} is the per-key counter after
 * the function added this message. A function that keeps no count (W0's echo) emits the 16-byte ingress probe
 * unchanged.
 */
final class ProbeDescriptor {
    /** The value type of every probe, in ingress and egress records. */
    static final TypeName TYPE = TypeName.typeNameOf("io.stator.bench", "probe");

    static final int INDEX_OFFSET = 0;
    static final int APPEND_NANOS_OFFSET = 8;
    static final int COUNT_OFFSET = 16;
    static final int INGRESS_LENGTH = 16;
    static final int EGRESS_LENGTH = 24;
    /** {@link #count} of a probe that carries none. */
    static final long NO_COUNT = -1;

    private ProbeDescriptor() {
    }

    /** Writes an ingress probe into {@code probe}, which is at least {@link #INGRESS_LENGTH} bytes long. */
    static void writeIngress(byte[] probe, long index, long appendNanos) {
        putLong(probe, INDEX_OFFSET, index);
        putLong(probe, APPEND_NANOS_OFFSET, appendNanos);
    }

    /** @return an egress probe: the ingress probe's fields followed by {@code count} */
    static byte[] egressWithCount(byte[] ingressProbe, long count) {
        byte[] out = new byte[EGRESS_LENGTH];
        System.arraycopy(ingressProbe, 0, out, 0, INGRESS_LENGTH);
        putLong(out, COUNT_OFFSET, count);
        return out;
    }

    /** @return whether {@code bytes} has the length of an ingress or an egress probe */
    static boolean isProbe(byte[] bytes) {
        return bytes.length == INGRESS_LENGTH || bytes.length == EGRESS_LENGTH;
    }

    static long index(byte[] probe) {
        return getLong(probe, INDEX_OFFSET);
    }

    static long appendNanos(byte[] probe) {
        return getLong(probe, APPEND_NANOS_OFFSET);
    }

    /** @return the count of an egress probe, or {@link #NO_COUNT} for an ingress probe */
    static long count(byte[] probe) {
        return probe.length >= EGRESS_LENGTH ? getLong(probe, COUNT_OFFSET) : NO_COUNT;
    }

    private static void putLong(byte[] b, int offset, long v) {
        for (int i = 0; i < Long.BYTES; i++) {
            b[offset + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long getLong(byte[] b, int offset) {
        long v = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            v = (v << 8) | (b[offset + i] & 0xFFL);
        }
        return v;
    }
}
