package io.stator.remote.client;

import io.stator.sdk.SimpleType;
import io.stator.sdk.Type;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The states each remote function type has declared so far, learned from {@code IncompleteInvocationContext}
 * replies. Specs are never configured up front (as in StateFun 3.x) and are not persisted: after a restart the
 * first request of each type learns them again.
 *
 * <p>A learned spec keeps the function's name, type name and expiry, with a type that passes bytes through, so
 * the runtime's state store can apply the expiry without knowing the value's format. A function's specs only
 * ever grow, in learning order, so "the first n specs" names exactly what a request carried. Partition thread only.
 */
final class FunctionStateRegistry {
    private final Map<TypeName, FunctionStates> byFunction = new HashMap<>();
    private final Map<TypeName, Type<byte[]>> passThroughTypes = new HashMap<>();

    /** @return the known states of {@code function}, in learning order; a live view, do not keep it */
    List<ValueSpec<byte[]>> specsOf(TypeName function) {
        FunctionStates states = byFunction.get(function);
        return states == null ? List.of() : states.view;
    }

    /** @return the known state {@code name} of {@code function}, or null */
    ValueSpec<byte[]> spec(TypeName function, String name) {
        int i = position(function, name);
        return i < 0 ? null : byFunction.get(function).specs.get(i);
    }

    /** @return the learning position of state {@code name} of {@code function}, or -1 if it is unknown */
    int position(TypeName function, String name) {
        FunctionStates states = byFunction.get(function);
        Integer i = states == null ? null : states.positions.get(name);
        return i == null ? -1 : i;
    }

    /**
     * Registers a state the function declared. A state already known keeps its first spec: as in StateFun, a
     * later change of expiry is ignored, but a change of type is an error.
     *
     * @throws IllegalArgumentException if the state is known with another type, or its name is invalid
     */
    void register(TypeName function, DeclaredState state) {
        FunctionStates states = byFunction.computeIfAbsent(function, f -> new FunctionStates());
        Integer known = states.positions.get(state.name());
        if (known != null) {
            ValueSpec<byte[]> spec = states.specs.get(known);
            if (!spec.typeName().equals(state.type())) {
                throw new IllegalArgumentException("function " + function + " declares state '" + state.name()
                        + "' with type " + state.type() + ", but it is registered with type " + spec.typeName());
            }
            return;
        }
        ValueSpec<byte[]> spec;
        try {
            spec = toSpec(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("function " + function + " declares an invalid state: " + e.getMessage(), e);
        }
        states.positions.put(state.name(), states.specs.size());
        states.specs.add(spec);
    }

    private ValueSpec<byte[]> toSpec(DeclaredState state) {
        ValueSpec.Untyped untyped = ValueSpec.named(state.name());
        switch (state.expiration().mode()) {
            case NONE -> {
            }
            case AFTER_WRITE -> untyped.thatExpireAfterWrite(state.expiration().duration());
            case AFTER_CALL -> untyped.thatExpireAfterCall(state.expiration().duration());
        }
        return untyped.withCustomType(passThroughTypes.computeIfAbsent(state.type(), FunctionStateRegistry::passThrough));
    }

    private static Type<byte[]> passThrough(TypeName type) {
        return SimpleType.simpleImmutableTypeFrom(type, bytes -> bytes, bytes -> bytes);
    }

    /** One function type's specs, by position and by name. */
    private static final class FunctionStates {
        final List<ValueSpec<byte[]>> specs = new ArrayList<>();
        final List<ValueSpec<byte[]>> view = Collections.unmodifiableList(specs);
        final Map<String, Integer> positions = new HashMap<>();
    }
}
