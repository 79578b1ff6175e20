package io.stator.remote.server;

import com.google.protobuf.ByteString;
import io.stator.remote.protocol.Address;
import io.stator.remote.protocol.ToFunction;
import io.stator.remote.protocol.ToFunction.InvocationBatchRequest;
import io.stator.remote.protocol.ToFunction.PersistedValue;
import io.stator.remote.protocol.TypedValue;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;

/** Builds {@code ToFunction} bytes the way StateFun's runtime shapes them (statefun-wire.md §6). */
final class StatefunShapedRequests {
    private final InvocationBatchRequest.Builder batch = InvocationBatchRequest.newBuilder();

    private StatefunShapedRequests(TypeName type, String id) {
        batch.setTarget(address(type, id));
    }

    static StatefunShapedRequests to(TypeName type, String id) {
        return new StatefunShapedRequests(type, id);
    }

    static Address address(TypeName type, String id) {
        return Address.newBuilder().setNamespace(type.namespace()).setType(type.name()).setId(id).build();
    }

    /** A registered state with no value: the name only, state_value left out. */
    StatefunShapedRequests stateWithoutValue(String name) {
        batch.addState(PersistedValue.newBuilder().setStateName(name));
        return this;
    }

    /** The other "no value" form the SDKs must accept (FLINK-25936). */
    StatefunShapedRequests stateWithHasValueFalse(String name, String typename) {
        batch.addState(PersistedValue.newBuilder().setStateName(name)
                .setStateValue(TypedValue.newBuilder().setTypename(typename).setHasValue(false)));
        return this;
    }

    StatefunShapedRequests state(String name, TypeName type, byte[] value) {
        batch.addState(PersistedValue.newBuilder().setStateName(name).setStateValue(TypedValue.newBuilder()
                .setTypename(type.asString()).setHasValue(true).setValue(ByteString.copyFrom(value))));
        return this;
    }

    /** An invocation with a string argument; {@code caller} null leaves the field out. */
    StatefunShapedRequests invoke(Address caller, String argument) {
        ToFunction.Invocation.Builder invocation = ToFunction.Invocation.newBuilder().setArgument(TypedValue.newBuilder()
                .setTypename(Types.STRING_TYPENAME.asString()).setHasValue(true)
                .setValue(ByteString.copyFrom(Types.stringType().serialize(argument))));
        if (caller != null) {
            invocation.setCaller(caller);
        }
        batch.addInvocations(invocation);
        return this;
    }

    byte[] bytes() {
        return ToFunction.newBuilder().setInvocation(batch).build().toByteArray();
    }
}
