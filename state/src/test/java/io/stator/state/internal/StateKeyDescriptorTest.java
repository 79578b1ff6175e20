package io.stator.state.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StateKeyDescriptorTest {
    private static byte[] encode(int keyGroup, Address address, String state) {
        StateKeyBuffer buffer = new StateKeyBuffer();
        buffer.encode(keyGroup, address, state);
        return buffer.copy();
    }

    @Test
    void theKeyIsKeyGroupThenLengthPrefixedTypeIdAndStateName() {
        byte[] key = encode(300, Address.of("example", "counter", "user-42"), "seen");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0x01);
        expected.write(0x2C);
        expected.write(15);
        expected.writeBytes("example/counter".getBytes(StandardCharsets.UTF_8));
        expected.write(7);
        expected.writeBytes("user-42".getBytes(StandardCharsets.UTF_8));
        expected.write(4);
        expected.writeBytes("seen".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected.toByteArray(), key);
        assertEquals(31, key.length, "the size the javadoc promises");
        assertEquals(300, StateKeyDescriptor.keyGroup(key));
        assertEquals("key group 300, address example/counter/user-42, state 'seen'",
                StateKeyDescriptor.describe(key, key.length));
    }

    @Test
    void keysOfALowerKeyGroupSortFirst() {
        byte[] low = encode(1, Address.of("z", "z", "zzz"), "z");
        byte[] high = encode(256, Address.of("a", "a", "a"), "a");
        assertTrue(Arrays.compareUnsigned(low, high) < 0);
        assertTrue(Arrays.compareUnsigned(low, StateKeyDescriptor.keyGroupPrefix(2)) < 0);
    }

    @Test
    void idsAreUtf8AsStringGetBytesWouldWriteThem() {
        String id = "k\u00e9y-\u4e2d-\ud83d\ude00-" + "x".repeat(200);
        byte[] key = encode(0, Address.of("ns", "fn", id), "s");
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        int idAt = 2 + 1 + "ns/fn".length();
        assertEquals(idBytes.length, (key[idAt] & 0x7F) | ((key[idAt + 1] & 0x7F) << 7), "two-byte varint length");
        assertArrayEquals(idBytes, Arrays.copyOfRange(key, idAt + 2, idAt + 2 + idBytes.length));
        assertEquals("key group 0, address ns/fn/" + id + ", state 's'", StateKeyDescriptor.describe(key, key.length));
    }

    @Test
    void fieldsCannotBleedIntoEachOther() {
        assertNotEquals(Arrays.toString(encode(0, Address.of("a", "b", "cd"), "e")),
                Arrays.toString(encode(0, Address.of("a", "b", "c"), "de")));
    }
}
