package io.stator.remote.client;

import io.stator.remote.internal.WireConversions;
import io.stator.remote.protocol.ToFunction;
import io.stator.remote.protocol.ToFunction.InvocationBatchRequest;
import io.stator.remote.protocol.ToFunction.PersistedValue;
import io.stator.sdk.Address;
import io.stator.sdk.ValueSpec;
import java.util.List;

/**
 * Builds the {@code ToFunction} of one batch the way StateFun's runtime does: the target; one
 * {@code PersistedValue} for every known state of the function type, with the value left out when there is
 * none and otherwise {@code TypedValue{registered type, has_value=true, bytes}}; and the invocations in arrival
 * order, each with its own caller (left out when there is none). Partition thread only: it reads state.
 */
final class RequestEncoder {
    private RequestEncoder() {
    }

    /** @return the serialized request */
    static byte[] encode(int keyGroup, Address target, List<ValueSpec<byte[]>> specs,
                         List<RemoteInvocation> invocations, RemoteStateAccess state) {
        InvocationBatchRequest.Builder batch = InvocationBatchRequest.newBuilder().setTarget(WireConversions.toWire(target));
        for (ValueSpec<byte[]> spec : specs) {
            PersistedValue.Builder value = PersistedValue.newBuilder().setStateName(spec.name());
            byte[] bytes = state.get(keyGroup, target, spec);
            if (bytes != null) {
                value.setStateValue(WireConversions.typedValue(spec.typeName(), bytes));
            }
            batch.addState(value);
        }
        for (RemoteInvocation invocation : invocations) {
            ToFunction.Invocation.Builder wire = ToFunction.Invocation.newBuilder()
                    .setArgument(WireConversions.typedValue(invocation.valueTypeName(), invocation.rawValue()));
            if (invocation.caller() != null) {
                wire.setCaller(WireConversions.toWire(invocation.caller()));
            }
            batch.addInvocations(wire);
        }
        return ToFunction.newBuilder().setInvocation(batch).build().toByteArray();
    }
}
