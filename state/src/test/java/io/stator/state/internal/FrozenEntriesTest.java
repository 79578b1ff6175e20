package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The frozen entries must come out in RocksDB's key order, or the SST file a snapshot writes is refused. Keys
 * here are raw bytes shaped to catch a sort that looks only at part of a key: groups from one to thousands of
 * keys, shared prefixes longer and shorter than 8 bytes, bytes 0x00 and 0xFF, and keys that are prefixes of
 * other keys (a shorter key then ties with a longer one padded with zeros).
 */
class FrozenEntriesTest {
    private static final int AFTER_KEY_GROUP = StateKeyDescriptor.KEY_GROUP_OFFSET + StateKeyDescriptor.KEY_GROUP_LENGTH;

    @Test
    void entriesComeInUnsignedKeyOrderWhateverTheirShape() {
        Random random = new Random(7);
        for (int round = 0; round < 40; round++) {
            Set<String> seen = new HashSet<>();
            List<byte[]> keys = new ArrayList<>();
            int groups = 1 + random.nextInt(4);
            int perGroup = round % 4 == 0 ? 3_000 + random.nextInt(3_000) : 1 + random.nextInt(300);
            byte[][] families = new byte[1 + random.nextInt(3)][];
            for (int f = 0; f < families.length; f++) {
                families[f] = bytes(random, random.nextInt(14));
            }
            for (int g = 0; g < groups; g++) {
                int keyGroup = random.nextBoolean() ? random.nextInt(256) : random.nextInt(65536);
                for (int i = 0; i < perGroup; i++) {
                    byte[] family = families[random.nextInt(families.length)];
                    byte[] tail = bytes(random, random.nextInt(random.nextBoolean() ? 3 : 12));
                    byte[] key = new byte[AFTER_KEY_GROUP + family.length + tail.length];
                    key[0] = (byte) (keyGroup >>> 8);
                    key[1] = (byte) keyGroup;
                    System.arraycopy(family, 0, key, AFTER_KEY_GROUP, family.length);
                    System.arraycopy(tail, 0, key, AFTER_KEY_GROUP + family.length, tail.length);
                    add(keys, seen, key);
                    if (random.nextInt(10) == 0) { // the same key with zeros after it
                        add(keys, seen, Arrays.copyOf(key, key.length + 1 + random.nextInt(2)));
                    }
                }
            }

            CacheEntry[] sorted = freeze(keys).sortedByKey();

            assertEquals(keys.size(), sorted.length, "round " + round);
            for (int i = 1; i < sorted.length; i++) {
                assertTrue(Arrays.compareUnsigned(sorted[i - 1].key, sorted[i].key) < 0,
                        "round " + round + ": ascending at " + i + " of " + sorted.length + ": "
                                + Arrays.toString(sorted[i - 1].key) + " then " + Arrays.toString(sorted[i].key));
            }
        }
    }

    private static void add(List<byte[]> keys, Set<String> seen, byte[] key) {
        if (seen.add(Arrays.toString(key))) { // a key is frozen at most once
            keys.add(key);
        }
    }

    /** Bytes drawn mostly from a few values, so that keys share long prefixes, including 0x00 and 0xFF. */
    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        byte[] alphabet = {0, 1, 'a', 'b', 'k', (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
        for (int i = 0; i < length; i++) {
            b[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
        }
        return b;
    }

    private static FrozenEntries freeze(List<byte[]> keys) {
        CacheEntry head = null;
        for (byte[] key : keys) {
            CacheEntry e = new CacheEntry(key, Arrays.hashCode(key));
            e.dirtyNext = head;
            head = e;
        }
        return new FrozenEntries(head, keys.size());
    }
}
