package io.stator.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A function type: its name, its declared state, and how to make an instance. The same spec runs embedded in
 * the runtime or behind {@code RemoteFunctionServer}.
 *
 * <pre>{@code
 * StatefulFunctionSpec.builder(GREETER).withValueSpec(SEEN).withSupplier(Greeter::new).build();
 * }</pre>
 */
public final class StatefulFunctionSpec {
    private final TypeName typeName;
    private final Map<String, ValueSpec<?>> valueSpecs;
    private final Supplier<? extends StatefulFunction> supplier;

    private StatefulFunctionSpec(
            TypeName typeName, Map<String, ValueSpec<?>> valueSpecs, Supplier<? extends StatefulFunction> supplier) {
        this.typeName = typeName;
        this.valueSpecs = Collections.unmodifiableMap(valueSpecs);
        this.supplier = supplier;
    }

    /** @return a builder for the function type {@code typeName} */
    public static Builder builder(TypeName typeName) {
        return new Builder(Objects.requireNonNull(typeName, "typeName"));
    }

    /** @return the function type */
    public TypeName typeName() {
        return typeName;
    }

    /** @return the declared state, by name, in declaration order */
    public Map<String, ValueSpec<?>> valueSpecs() {
        return valueSpecs;
    }

    /** @return the supplier of function instances */
    public Supplier<? extends StatefulFunction> supplier() {
        return supplier;
    }

    @Override
    public String toString() {
        return "StatefulFunctionSpec[" + typeName + ", state=" + valueSpecs.keySet() + "]";
    }

    /** Builds a {@link StatefulFunctionSpec}. */
    public static final class Builder {
        private final TypeName typeName;
        private final Map<String, ValueSpec<?>> valueSpecs = new LinkedHashMap<>();
        private Supplier<? extends StatefulFunction> supplier;

        private Builder(TypeName typeName) {
            this.typeName = typeName;
        }

        /**
         * Declares a state.
         *
         * @throws IllegalArgumentException if a state of the same name was already declared
         */
        public Builder withValueSpec(ValueSpec<?> spec) {
            Objects.requireNonNull(spec, "spec");
            if (valueSpecs.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException(
                        "function " + typeName + " declares state '" + spec.name() + "' twice");
            }
            return this;
        }

        /** Declares several states. */
        public Builder withValueSpecs(ValueSpec<?>... specs) {
            for (ValueSpec<?> spec : specs) {
                withValueSpec(spec);
            }
            return this;
        }

        /** Sets how instances are made; the runtime may share one instance across addresses. */
        public Builder withSupplier(Supplier<? extends StatefulFunction> supplier) {
            this.supplier = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalStateException if no supplier was set
         */
        public StatefulFunctionSpec build() {
            if (supplier == null) {
                throw new IllegalStateException("function " + typeName + " has no supplier: call withSupplier");
            }
            return new StatefulFunctionSpec(typeName, new LinkedHashMap<>(valueSpecs), supplier);
        }
    }
}
