package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The record of accepted invocations keeps nothing until a snapshot asks, and drops itself (saying so) if
 * snapshots stop asking, so that a runtime without snapshots does not keep every invocation it ever made.
 */
class AcceptedInvocationsTest {
    private static final Address TARGET = Address.of("test", "fn", "a");
    private static final TypeName TYPE = TypeName.typeNameOf("test", "value");

    @Test
    void aRecordThatOutgrowsItsBoundIsDroppedAndTheNextTakeSaysItIsUnknown() {
        AcceptedInvocations accepted = new AcceptedInvocations();
        accepted.take();
        for (int i = 0; i < AcceptedInvocations.MAX_RECORDED; i++) {
            accepted.accept(1, TARGET, null, TYPE, new byte[0]);
        }
        assertEquals(AcceptedInvocations.MAX_RECORDED, accepted.take().size(), "at the bound: still whole");

        for (int i = 0; i <= AcceptedInvocations.MAX_RECORDED; i++) {
            accepted.accept(1, TARGET, null, TYPE, new byte[0]);
        }
        RemoteInvocation after = accepted.accept(1, TARGET, null, TYPE, new byte[0]);
        assertNull(accepted.take(), "past it: dropped, and a snapshot must list the whole backlog");
        assertEquals(2L * AcceptedInvocations.MAX_RECORDED + 1, after.sequence(), "numbering goes on");

        RemoteInvocation next = accepted.accept(2, TARGET, null, TYPE, new byte[0]);
        List<PendingRemoteInvocation> taken = accepted.take();
        assertEquals(1, taken.size(), "recording again from the take that said unknown");
        assertEquals(next.sequence(), taken.get(0).invocation().sequence());
        assertEquals(2, taken.get(0).keyGroup());
    }
}
