package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The token index finds exactly the slots put and not removed, also when many keys share a hash. */
class TimerTokensTest {
    private static final TypeName FN = TypeName.typeNameOf("test", "fn");

    private record Key(Address sender, String token) {
    }

    @Test
    void findsWhatWasPutAndNotRemovedAgreeingWithAMap() {
        Random random = new Random(7);
        Map<Integer, Key> bySlot = new HashMap<>();
        TimerTokens index = new TimerTokens((slot, sender, token) -> {
            Key k = bySlot.get(slot);
            return k != null && k.sender().equals(sender) && k.token().equals(token);
        });
        Map<Key, Integer> expected = new HashMap<>();
        Map<Key, Integer> hashes = new HashMap<>();
        List<Integer> freeSlots = new ArrayList<>();
        int nextSlot = 0;
        for (int step = 0; step < 300_000; step++) {
            // Few hashes for many keys: long probe runs, so that removals shift cells across them
            Key key = new Key(new Address(FN, "a" + random.nextInt(3_000)), "t" + random.nextInt(3));
            int hash = random.nextInt(4) == 0 ? 17 : TimerTokens.hash(key.sender(), key.token());
            Integer slot = expected.get(key);
            if (slot == null) {
                assertEquals(-1, index.find(hash, key.sender(), key.token()));
                int s = freeSlots.isEmpty() ? nextSlot++ : freeSlots.remove(freeSlots.size() - 1);
                bySlot.put(s, key);
                hashes.put(key, hash);
                index.put(hash, s);
                expected.put(key, s);
            } else {
                assertEquals(slot.intValue(), index.find(hashes.get(key), key.sender(), key.token()));
                if (random.nextBoolean()) {
                    index.remove(slot);
                    bySlot.remove(slot);
                    expected.remove(key);
                    hashes.remove(key);
                    freeSlots.add(slot);
                }
            }
            assertEquals(expected.size(), index.size());
        }
        for (Map.Entry<Key, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue().intValue(), index.find(hashes.get(e.getKey()), e.getKey().sender(),
                    e.getKey().token()));
        }
    }

    @Test
    void removingASlotNotPutIsABug() {
        TimerTokens index = new TimerTokens((slot, sender, token) -> false);
        index.put(5, 0);
        assertThrows(IllegalStateException.class, () -> index.remove(1));
    }
}
