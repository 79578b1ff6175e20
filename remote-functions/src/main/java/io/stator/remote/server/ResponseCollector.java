package io.stator.remote.server;

import com.google.protobuf.ByteString;
import io.stator.remote.internal.WireConversions;
import io.stator.remote.protocol.FromFunction;
import io.stator.remote.protocol.FromFunction.DelayedInvocation;
import io.stator.remote.protocol.FromFunction.InvocationResponse;
import io.stator.remote.protocol.FromFunction.PersistedValueMutation;
import io.stator.remote.protocol.FromFunction.PersistedValueMutation.MutationType;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import io.stator.sdk.internal.CellStorage;
import io.stator.sdk.internal.StateLayout;
import java.time.Duration;

/**
 * Gathers the effects of every invocation of one batch into a single {@code InvocationResponse}: messages,
 * delayed messages and cancellations, and egress records in the order the functions produced them, then at
 * most one state mutation per touched state, read from the batch's {@link CellStorage} at the end.
 *
 * <p>Used by one invocation at a time (the batch runs its invocations one after another), never concurrently.
 */
final class ResponseCollector {
    private final InvocationResponse.Builder response = InvocationResponse.newBuilder();
    /**
     * The wire names of the last egress seen. A batch's invocations usually emit to one egress, so its namespace
     * and name are encoded to UTF-8 once per batch instead of for every record.
     */
    private TypeName lastEgress;
    private ByteString lastEgressNamespace;
    private ByteString lastEgressName;

    void message(Message message) {
        response.addOutgoingMessages(FromFunction.Invocation.newBuilder()
                .setTarget(WireConversions.toWire(message.targetAddress()))
                .setArgument(WireConversions.typedValue(message.valueTypeName(), message.rawValue())));
    }

    void delayedMessage(Duration delay, String tokenOrNull, Message message) {
        DelayedInvocation.Builder delayed = DelayedInvocation.newBuilder()
                .setDelayInMs(delay.toMillis())
                .setTarget(WireConversions.toWire(message.targetAddress()))
                .setArgument(WireConversions.typedValue(message.valueTypeName(), message.rawValue()));
        if (tokenOrNull != null) {
            delayed.setCancellationToken(tokenOrNull);
        }
        response.addDelayedInvocations(delayed);
    }

    void cancellation(String token) {
        response.addDelayedInvocations(
                DelayedInvocation.newBuilder().setIsCancellationRequest(true).setCancellationToken(token));
    }

    void egress(EgressMessage message) {
        TypeName egress = message.egressId();
        if (!egress.equals(lastEgress)) {
            lastEgress = egress;
            lastEgressNamespace = ByteString.copyFromUtf8(egress.namespace());
            lastEgressName = ByteString.copyFromUtf8(egress.name());
        }
        response.addOutgoingEgresses(FromFunction.EgressMessage.newBuilder()
                .setEgressNamespaceBytes(lastEgressNamespace)
                .setEgressTypeBytes(lastEgressName)
                .setArgument(WireConversions.typedValue(message.valueTypeName(), message.rawValue())));
    }

    /**
     * Adds one mutation per state the batch modified or deleted. A MODIFY carries the full value and the
     * declared type name, which StateFun's runtime compares with the type it registered.
     *
     * @return the serialized {@code FromFunction}
     */
    byte[] finish(CellStorage storage) {
        StateLayout layout = storage.layout();
        for (int i = 0; i < layout.size(); i++) {
            ValueSpec<?> spec = layout.spec(i);
            switch (storage.mutation(i)) {
                case NONE -> {
                }
                case MODIFIED -> response.addStateMutations(PersistedValueMutation.newBuilder()
                        .setMutationType(MutationType.MODIFY)
                        .setStateName(spec.name())
                        .setStateValue(WireConversions.typedValue(spec.typeName(), storage.value(i))));
                case DELETED -> response.addStateMutations(PersistedValueMutation.newBuilder()
                        .setMutationType(MutationType.DELETE)
                        .setStateName(spec.name()));
            }
        }
        return FromFunction.newBuilder().setInvocationResult(response).build().toByteArray();
    }
}
