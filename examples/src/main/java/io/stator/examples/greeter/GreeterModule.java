package io.stator.examples.greeter;

import io.stator.sdk.FunctionModule;
import io.stator.sdk.StatefulFunctionSpec;
import java.util.List;

/** The greeter example's function types, named by {@code examples/greeter/module.yaml}. */
public final class GreeterModule implements FunctionModule {
    @Override
    public List<StatefulFunctionSpec> functions() {
        return List.of(Greeter.SPEC);
    }
}
