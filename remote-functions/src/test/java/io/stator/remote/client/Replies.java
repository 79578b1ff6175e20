package io.stator.remote.client;

import com.google.protobuf.ByteString;
import io.stator.remote.protocol.Address;
import io.stator.remote.protocol.FromFunction;
import io.stator.remote.protocol.FromFunction.ExpirationSpec;
import io.stator.remote.protocol.FromFunction.ExpirationSpec.ExpireMode;
import io.stator.remote.protocol.FromFunction.IncompleteInvocationContext;
import io.stator.remote.protocol.FromFunction.InvocationResponse;
import io.stator.remote.protocol.FromFunction.PersistedValueMutation;
import io.stator.remote.protocol.FromFunction.PersistedValueMutation.MutationType;
import io.stator.remote.protocol.FromFunction.PersistedValueSpec;
import io.stator.remote.protocol.TypedValue;
import io.stator.sdk.TypeName;

/** Builds {@code FromFunction} bytes for scripted replies. */
final class Replies {
    private Replies() {
    }

    static PersistedValueSpec spec(String name, TypeName type) {
        return PersistedValueSpec.newBuilder().setStateName(name).setTypeTypename(type.asString()).build();
    }

    static PersistedValueSpec spec(String name, TypeName type, ExpireMode mode, long millis) {
        return spec(name, type).toBuilder()
                .setExpirationSpec(ExpirationSpec.newBuilder().setMode(mode).setExpireAfterMillis(millis)).build();
    }

    static byte[] missing(PersistedValueSpec... specs) {
        return FromFunction.newBuilder().setIncompleteInvocationContext(
                IncompleteInvocationContext.newBuilder().addAllMissingValues(java.util.List.of(specs))).build().toByteArray();
    }

    static byte[] result(InvocationResponse.Builder response) {
        return FromFunction.newBuilder().setInvocationResult(response).build().toByteArray();
    }

    static TypedValue value(TypeName type, byte[] bytes) {
        return TypedValue.newBuilder().setTypename(type.asString()).setHasValue(true).setValue(ByteString.copyFrom(bytes)).build();
    }

    static Address address(String namespace, String type, String id) {
        return Address.newBuilder().setNamespace(namespace).setType(type).setId(id).build();
    }

    static PersistedValueMutation modify(String name, TypeName type, byte[] bytes) {
        return PersistedValueMutation.newBuilder().setMutationType(MutationType.MODIFY).setStateName(name)
                .setStateValue(value(type, bytes)).build();
    }

    static PersistedValueMutation delete(String name) {
        return PersistedValueMutation.newBuilder().setMutationType(MutationType.DELETE).setStateName(name).build();
    }
}
