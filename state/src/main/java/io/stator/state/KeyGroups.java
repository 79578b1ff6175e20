package io.stator.state;

import io.stator.sdk.Address;

/**
 * Maps addresses to key groups and key groups to partitions. Key groups are the unit of state placement: a
 * snapshot taken with P partitions restores into any other count because each key group moves whole.
 *
 * <pre>
 *   keyGroup  = mix(hash(type) * 31 + hash(id)) mod maxParallelism
 *   partition = keyGroup * P / maxParallelism
 * </pre>
 *
 * The hashes are {@link String#hashCode()}, whose value the Java language specification fixes, so placement is
 * the same in every JVM and across restarts.
 */
public final class KeyGroups {
    /** The default number of key groups. */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    private KeyGroups() {
    }

    /** @return the key group of {@code address} */
    public static int keyGroupFor(Address address, int maxParallelism) {
        return keyGroupOfHash(address.type().asString().hashCode() * 31 + address.id().hashCode(), maxParallelism);
    }

    /**
     * @param addressHash 31 times the {@link String#hashCode} of the address's type ({@code namespace/name}) plus
     *                    that of its id, as {@link Address#hashCode} gives it: for an address read from bytes
     *                    without making its strings
     * @return the key group of that address
     */
    public static int keyGroupOfHash(int addressHash, int maxParallelism) {
        return Math.floorMod(mix(addressHash), maxParallelism);
    }

    /** @return the partition that owns {@code keyGroup} */
    public static int partitionFor(int keyGroup, int partitions, int maxParallelism) {
        return (int) ((long) keyGroup * partitions / maxParallelism);
    }

    /** @return the key groups owned by {@code partition}: exactly those for which {@link #partitionFor} gives it */
    public static KeyGroupRange rangeFor(int partition, int partitions, int maxParallelism) {
        int first = (int) (((long) partition * maxParallelism + partitions - 1) / partitions);
        int last = (int) (((long) (partition + 1) * maxParallelism - 1) / partitions);
        return new KeyGroupRange(first, last);
    }

    /**
     * @throws IllegalArgumentException if the counts cannot work together
     */
    public static void validate(int partitions, int maxParallelism) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (maxParallelism < partitions || maxParallelism > 32768) {
            throw new IllegalArgumentException("maxParallelism must be between partitions (" + partitions
                    + ") and 32768, was " + maxParallelism);
        }
    }

    /** murmur3's 32-bit finalizer: spreads String hash codes, whose low bits are weak. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
