package io.stator.remote.server;

import io.stator.remote.internal.WireConversions;
import io.stator.remote.protocol.FromFunction.ExpirationSpec;
import io.stator.remote.protocol.FromFunction.PersistedValueSpec;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.ValueSpec;
import io.stator.sdk.internal.StateLayout;

/**
 * One function type served over HTTP, with what is computed once per type: its {@link StateLayout} and the
 * wire form of each declared state, ready to be listed in an {@code IncompleteInvocationContext}. Immutable, so
 * concurrent requests share it.
 */
final class ServedFunction {
    private final StatefulFunctionSpec spec;
    private final StateLayout layout;
    private final PersistedValueSpec[] wireSpecs;

    ServedFunction(StatefulFunctionSpec spec) {
        this.spec = spec;
        this.layout = new StateLayout(spec);
        this.wireSpecs = new PersistedValueSpec[layout.size()];
        for (int i = 0; i < layout.size(); i++) {
            wireSpecs[i] = toWire(layout.spec(i));
        }
    }

    StatefulFunctionSpec spec() {
        return spec;
    }

    StateLayout layout() {
        return layout;
    }

    /** @return the wire spec of the state at {@code index}: name, type name, and expiry unless it is NONE */
    PersistedValueSpec wireSpec(int index) {
        return wireSpecs[index];
    }

    private static PersistedValueSpec toWire(ValueSpec<?> valueSpec) {
        PersistedValueSpec.Builder wire = PersistedValueSpec.newBuilder()
                .setStateName(valueSpec.name())
                .setTypeTypename(valueSpec.typeName().asString());
        ExpirationSpec expiration = WireConversions.toWire(valueSpec.expiration());
        if (expiration != null) {
            wire.setExpirationSpec(expiration);
        }
        return wire.build();
    }
}
