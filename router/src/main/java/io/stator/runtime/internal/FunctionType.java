package io.stator.runtime.internal;

import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.internal.StateLayout;

/**
 * An embedded function type as one partition runs it: the spec, its state layout, the partition's instance of
 * the function and a spare {@link Invocation} to reuse for synchronous calls. Partition-thread only.
 */
final class FunctionType {
    private final StatefulFunctionSpec spec;
    private final StateLayout layout;
    private final StatefulFunction instance;
    private Invocation spare;
    private final io.stator.runtime.metrics.FunctionCounters counters;

    FunctionType(StatefulFunctionSpec spec) {
        this.spec = spec;
        this.layout = new StateLayout(spec);
        this.instance = spec.supplier().get();
        this.counters = new io.stator.runtime.metrics.FunctionCounters(spec.typeName(), false);
        if (instance == null) {
            throw new IllegalStateException("the supplier of function " + spec.typeName() + " returned null");
        }
    }

    TypeName typeName() {
        return spec.typeName();
    }

    StateLayout layout() {
        return layout;
    }

    io.stator.runtime.metrics.FunctionCounters counters() {
        return counters;
    }

    StatefulFunction instance() {
        return instance;
    }

    /** @return an invocation for a new call: the spare one if the last call finished synchronously */
    Invocation acquire() {
        Invocation inv = spare;
        if (inv == null) {
            return new Invocation(this);
        }
        spare = null;
        return inv;
    }

    /** Returns a finished call's invocation for reuse. */
    void release(Invocation inv) {
        spare = inv;
    }
}
