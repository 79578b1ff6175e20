package io.stator.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteHashTest {
    /** Caches hash a name wherever it lies (in a log document, in a scratch array): only the range counts. */
    @Test
    void aRangeHashesTheSameWhereverItLiesAndWhateverSurroundsIt() {
        byte[] name = "example/greeter-with-a-long-name".getBytes(StandardCharsets.UTF_8);
        int expected = ByteHash.of(name, 0, name.length);
        for (int at = 1; at < 9; at++) {
            byte[] padded = new byte[name.length + 2 * at];
            Arrays.fill(padded, (byte) at);
            System.arraycopy(name, 0, padded, at, name.length);
            assertEquals(expected, ByteHash.of(padded, at, name.length), "at " + at);
        }
    }

    /** One byte changed anywhere in names of 1 to 40 bytes, or the length, changes the hash: 860 names, 860 hashes. */
    @Test
    void aChangedByteOrLengthChangesTheHash() {
        Set<Integer> seen = new HashSet<>();
        int hashed = 0;
        for (int length = 1; length <= 40; length++) {
            byte[] name = new byte[length];
            Arrays.fill(name, (byte) 'x');
            seen.add(ByteHash.of(name, 0, length));
            hashed++;
            for (int differ = 0; differ < length; differ++) {
                name[differ] = 'y';
                seen.add(ByteHash.of(name, 0, length));
                hashed++;
                name[differ] = 'x';
            }
        }
        assertEquals(hashed, seen.size(), "no two of these names share a hash");
        assertNotEquals(ByteHash.of(new byte[8], 0, 8), ByteHash.of(new byte[9], 0, 9), "zeros of two lengths");
    }

    /**
     * Caches index small tables with the low bits (the log readers' type-name cache has 64 slots): changing any one
     * byte of a 24-byte name must move it between slots, wherever in an eight-byte word the byte lies.
     */
    @Test
    void theLowBitsChangeWithEveryByte() {
        byte[] name = "example/orders-v1/abcdefg".getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < name.length; at++) {
            byte original = name[at];
            Set<Integer> slots = new HashSet<>();
            for (int v = 0; v < 8; v++) {
                name[at] = (byte) ('a' + v);
                slots.add(ByteHash.of(name, 0, name.length) & 63);
            }
            name[at] = original;
            assertTrue(slots.size() >= 4, "8 values of byte " + at + " fell into " + slots.size() + " of 64 slots");
        }
    }
}
