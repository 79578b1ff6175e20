package io.stator.runtime.internal;

import io.stator.sdk.Address;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroups;
import io.stator.state.KeyedStateStore;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one address's declared state for the admin API. Runs on the owning partition's thread (the write-back
 * cache is single-threaded). It reads through the store, so an expire-after-call value's clock restarts as on a
 * call.
 */
final class StateDebugReader {
    private StateDebugReader() {
    }

    /**
     * @param spec the function type's spec, or null if it is not an embedded function here
     * @return per state name, its value rendered as text (built-in types) or {@code base64:...}, null when absent
     * @throws IllegalArgumentException if the type is not an embedded function of this runtime
     */
    static Map<String, String> read(StatefulFunctionSpec spec, Address address, KeyedStateStore state, long nowMillis,
            int maxParallelism) {
        if (spec == null) {
            throw new IllegalArgumentException(address.type() + " is not an embedded function type here"
                    + " (a remote function's state is known only to the partitions that called it)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        int keyGroup = KeyGroups.keyGroupFor(address, maxParallelism);
        for (ValueSpec<?> v : spec.valueSpecs().values()) {
            byte[] bytes = state.get(keyGroup, address, v, nowMillis);
            values.put(v.name(), bytes == null ? null : render(v, bytes));
        }
        return values;
    }

    private static String render(ValueSpec<?> spec, byte[] bytes) {
        if (Types.builtInType(spec.typeName()) != null) {
            return String.valueOf(spec.type().deserialize(bytes));
        }
        return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
}
