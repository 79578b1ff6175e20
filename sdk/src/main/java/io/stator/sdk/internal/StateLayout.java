package io.stator.sdk.internal;

import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.ValueSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The declared state of one function type as an indexed array, computed once per type so a call looks up a
 * state by identity, or by name with one hash lookup, and keeps its cells in an array.
 */
public final class StateLayout {
    /** How many declared specs {@link #indexOf(ValueSpec)} compares by identity before it looks the name up. */
    private static final int IDENTITY_SCAN = 8;

    private final StatefulFunctionSpec function;
    private final ValueSpec<?>[] specs;
    private final Map<String, Integer> indexByName;

    public StateLayout(StatefulFunctionSpec function) {
        this.function = function;
        this.specs = function.valueSpecs().values().toArray(new ValueSpec<?>[0]);
        this.indexByName = new HashMap<>(specs.length * 2);
        for (int i = 0; i < specs.length; i++) {
            indexByName.put(specs[i].name(), i);
        }
    }

    public StatefulFunctionSpec function() {
        return function;
    }

    public int size() {
        return specs.length;
    }

    public ValueSpec<?> spec(int index) {
        return specs[index];
    }

    /**
     * @return the index of the state {@code spec} names, or -1 if it is not declared; a declared spec itself is
     * found by identity among the first few, without hashing its name
     */
    public int indexOf(ValueSpec<?> spec) {
        for (int i = 0, n = Math.min(specs.length, IDENTITY_SCAN); i < n; i++) {
            if (specs[i] == spec) {
                return i;
            }
        }
        return indexOf(spec.name());
    }

    /** @return the index of the state named {@code name}, or -1 if it is not declared */
    public int indexOf(String name) {
        Integer i = indexByName.get(name);
        return i == null ? -1 : i;
    }
}
