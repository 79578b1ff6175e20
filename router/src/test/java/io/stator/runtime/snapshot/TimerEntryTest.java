package io.stator.runtime.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stator.runtime.internal.Envelope;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A pending timer is the bytes of its timer-file entry: what is read from them is what was put in. */
class TimerEntryTest {
    private static final TypeName FN = TypeName.typeNameOf("test", "fn");
    private static final TypeName VALUE = TypeName.typeNameOf("test", "v");

    @Test
    void anEntryGivesBackItsFields() {
        Address target = new Address(FN, "cart-7");
        Address sender = new Address(TypeName.typeNameOf("tést", "sender"), "ü-1");
        PartitionSnapshot.Timer t = new PartitionSnapshot.Timer(42, 1_234_567, "idlé",
                new Envelope(3, target, sender, VALUE, new byte[] {1, 2, 3}));
        assertEquals(42, t.id());
        assertEquals(1_234_567, t.dueAtMillis());
        assertEquals("idlé", t.token());
        Envelope m = t.message();
        assertEquals(target, m.targetAddress());
        assertEquals(sender, m.caller());
        assertEquals(VALUE, m.valueTypeName());
        assertArrayEquals(new byte[] {1, 2, 3}, m.rawValue());
        assertEquals(3, m.keyGroup());

        PartitionSnapshot.Timer renumbered = t.withId(7);
        assertEquals(7, renumbered.id());
        assertEquals(42, t.id(), "the original is not changed");
        assertEquals(t.message().caller(), renumbered.message().caller());

        PartitionSnapshot.Timer noToken = new PartitionSnapshot.Timer(1, 2, null,
                new Envelope(0, target, target, VALUE, new byte[0]));
        assertNull(noToken.token());
        assertEquals(target, noToken.message().caller());
    }

    /** A restore places a timer by its sender's key group, computed from the bytes without decoding them. */
    @Test
    void theSendersHashIsItsAddressHashAlsoForNamesThatAreNotAscii() {
        for (Address sender : new Address[] {new Address(FN, "plain"), new Address(FN, "ü-1"),
                new Address(TypeName.typeNameOf("名前", "空間"), "😀")}) {
            PartitionSnapshot.Timer t = new PartitionSnapshot.Timer(1, 2, "t",
                    new Envelope(0, new Address(FN, "target"), sender, VALUE, new byte[0]));
            assertEquals(sender.hashCode(), t.senderHash(), sender.toString());
            assertEquals(KeyGroups.keyGroupFor(sender, 128), KeyGroups.keyGroupOfHash(t.senderHash(), 128));
        }
    }

    @Test
    void anEntryCutShortIsNotTakenForOne() {
        byte[] entry = new PartitionSnapshot.Timer(1, 2, "token", new Envelope(0, new Address(FN, "a"),
                new Address(FN, "a"), VALUE, new byte[100])).entry();
        assertEquals(entry.length, PartitionSnapshot.Timer.entryLength(entry, 0, entry.length));
        for (int cut = 0; cut < entry.length; cut += 7) {
            assertEquals(-1, PartitionSnapshot.Timer.entryLength(Arrays.copyOf(entry, cut), 0, cut), "cut at " + cut);
        }
    }
}
