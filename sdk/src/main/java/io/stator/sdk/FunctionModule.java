package io.stator.sdk;

import java.util.List;

/**
 * A set of embedded function types that a {@code module.yaml} names by class:
 *
 * <pre>
 * kind: io.stator.v1/embedded
 * spec:
 *   modules:
 *     - com.example.GreeterModule
 * </pre>
 *
 * The class needs a public no-argument constructor.
 */
public interface FunctionModule {
    /** @return the function types this module provides */
    List<StatefulFunctionSpec> functions();
}
