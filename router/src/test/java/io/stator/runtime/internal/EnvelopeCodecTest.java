package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A codec that reuses the last envelope's header (as a snapshot's backlog encoding does) must write exactly the
 * bytes of one that does not, whatever changes between envelopes: the epoch, the caller, the key group, the target.
 */
class EnvelopeCodecTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    private static final TypeName LONG = TypeName.typeNameOf("io.statefun.types", "long");
    private static final TypeName TEXT = TypeName.typeNameOf("io.statefun.types", "string");

    @Test
    void reusingHeadersWritesTheSameBytesAsEncodingEachEnvelopeWhole() {
        Address a = new Address(COUNTER, "a");
        Address b = new Address(COUNTER, "bé"); // a two-byte character: lengths are UTF-8 lengths
        Address caller = new Address(COUNTER, "caller");
        List<Envelope> run = List.of(
                envelope(3, a, null, LONG, "1"),
                envelope(3, a, null, LONG, "22"),
                envelope(3, a, caller, TEXT, "with a caller"),
                envelope(3, a, null, LONG, "3"),
                envelope(4, a, null, LONG, "another key group, same address object"),
                envelope(3, new Address(COUNTER, "a"), null, LONG, "an equal address, another object"),
                envelope(9, b, null, LONG, "4"),
                envelope(9, b, null, TEXT, ""));
        EnvelopeCodec whole = new EnvelopeCodec();
        EnvelopeCodec reusing = new EnvelopeCodec(true);
        long epoch = 7;
        for (Envelope e : run) {
            byte[] expected = encode(whole, e, epoch);
            byte[] actual = encode(reusing, e, epoch);
            assertArrayEquals(expected, actual, "envelope " + e + " at epoch " + epoch);
            Envelope decoded = new EnvelopeCodec().decode(new UnsafeBuffer(actual), 0);
            assertEquals(e.targetAddress(), decoded.targetAddress());
            assertEquals(e.caller(), decoded.caller());
            assertEquals(e.keyGroup(), decoded.keyGroup());
            assertEquals(epoch, decoded.epoch());
            epoch++; // the epoch is not part of the reused header
        }
    }

    @Test
    void aMessageToItselfDecodesWithOneAddressForTargetAndCaller() {
        Address self = new Address(COUNTER, "k1");
        EnvelopeCodec codec = new EnvelopeCodec();
        Envelope toSelf = codec.decode(new UnsafeBuffer(encode(codec, envelope(1, self, self, LONG, "1"), 0)), 0);
        assertSame(toSelf.targetAddress(), toSelf.caller(), "one address object, not two equal ones");

        for (Address other : List.of(new Address(COUNTER, "k2"), new Address(COUNTER, "k10"),
                new Address(LONG, "k1"))) { // same length, another id; a longer id; same id, another type
            Envelope e = codec.decode(new UnsafeBuffer(encode(codec, envelope(1, self, other, LONG, "1"), 0)), 0);
            assertEquals(self, e.targetAddress());
            assertEquals(other, e.caller());
        }
    }

    private static Envelope envelope(int keyGroup, Address target, Address caller, TypeName type, String value) {
        return new Envelope(keyGroup, target, caller, type, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] encode(EnvelopeCodec codec, Envelope e, long epoch) {
        byte[] bytes = new byte[codec.encodedLength(e)];
        codec.encode(e, epoch, new UnsafeBuffer(bytes), 0);
        return bytes;
    }
}
