package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Iterating a capture (the snapshot encoder's way) lists what indexing lists, skipping addresses with nothing held. */
class CapturedInvocationsTest {
    private static final TypeName FN = TypeName.typeNameOf("test", "fn");

    @Test
    void iterationMatchesIndexingAcrossEmptyAddresses() {
        RemoteInvocation[][] perAddress = {
            {},
            {invocation("a", 1), invocation("a", 2)},
            {},
            {},
            {invocation("b", 3)},
            {},
        };
        CapturedInvocations captured = new CapturedInvocations(new int[] {0, 1, 2, 3, 4, 5}, perAddress);
        List<PendingRemoteInvocation> iterated = new ArrayList<>();
        Iterator<PendingRemoteInvocation> it = captured.iterator();
        while (it.hasNext()) {
            iterated.add(it.next());
        }
        assertEquals(3, captured.size());
        assertEquals(List.of(captured.get(0), captured.get(1), captured.get(2)), iterated);
        assertEquals(List.of(1, 1, 4), iterated.stream().map(PendingRemoteInvocation::keyGroup).toList());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    private static RemoteInvocation invocation(String id, int value) {
        return new RemoteInvocation(new Address(FN, id), null, FN, new byte[] {(byte) value});
    }
}
