package io.stator.cli;

import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.FunctionModule;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.util.List;

/** A module for {@code ./stator serve} tests: {@code test/where} emits the name of the thread that ran it. */
public final class ThreadReportingModule implements FunctionModule {
    static final TypeName WHERE = TypeName.typeNameOf("test", "where");
    static final TypeName THREADS = TypeName.typeNameOf("test", "threads");

    @Override
    public List<StatefulFunctionSpec> functions() {
        StatefulFunction where = (context, message) -> {
            context.send(EgressMessageBuilder.forEgress(THREADS).withValue(Thread.currentThread().getName()).build());
            return StatefulFunction.DONE;
        };
        return List.of(StatefulFunctionSpec.builder(WHERE).withSupplier(() -> where).build());
    }
}
