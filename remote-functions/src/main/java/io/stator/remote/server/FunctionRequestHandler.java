package io.stator.remote.server;

import com.google.protobuf.CodedInputStream;
import io.stator.remote.internal.WireConversions;
import io.stator.remote.protocol.FromFunction;
import io.stator.remote.protocol.FromFunction.IncompleteInvocationContext;
import io.stator.remote.protocol.FromFunction.InvocationResponse;
import io.stator.remote.protocol.ToFunction;
import io.stator.remote.protocol.ToFunction.InvocationBatchRequest;
import io.stator.remote.protocol.ToFunction.PersistedValue;
import io.stator.sdk.Address;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Serves StateFun's request-reply protocol for a set of functions, independent of any transport: bytes of a
 * {@code ToFunction} in, bytes of a {@code FromFunction} out. {@link RemoteFunctionServer} puts it behind HTTP;
 * tests and other transports may call it directly.
 *
 * <p>For each request it finds the function by the request's {@code target} (never by URL path); if any declared
 * state is missing from the request it answers {@code IncompleteInvocationContext} listing all missing states
 * and runs nothing; otherwise it runs the batch's invocations in order and answers one
 * {@code InvocationResponse}. Thread-safe: requests for different addresses may be handled concurrently.
 */
public final class FunctionRequestHandler {
    private static final byte[] EMPTY_REPLY = new byte[0];

    private final Map<TypeName, ServedFunction> functions;

    /**
     * @param functions the functions to serve
     * @throws IllegalArgumentException if two functions have the same type name
     */
    public FunctionRequestHandler(Collection<StatefulFunctionSpec> functions) {
        Map<TypeName, ServedFunction> byType = new LinkedHashMap<>();
        for (StatefulFunctionSpec spec : functions) {
            Objects.requireNonNull(spec, "function spec");
            if (byType.putIfAbsent(spec.typeName(), new ServedFunction(spec)) != null) {
                throw new IllegalArgumentException("function type " + spec.typeName() + " is registered twice");
            }
        }
        this.functions = Map.copyOf(byType);
    }

    /** @return the function types served */
    public Set<TypeName> functionTypes() {
        return functions.keySet();
    }

    /**
     * Handles one request.
     *
     * @param toFunctionBytes a serialized {@code ToFunction}
     * @return the serialized {@code FromFunction} (empty when the request carried no batch, as StateFun's SDKs
     *     do); failed with {@link InvalidRequestException} for bad bytes, or {@link FunctionInvocationException}
     *     for an unknown function type or a failing function
     */
    public CompletableFuture<byte[]> handle(byte[] toFunctionBytes) {
        ToFunction request;
        try {
            CodedInputStream input = WireConversions.aliasing(toFunctionBytes);
            request = ToFunction.parseFrom(input);
            input.checkLastTagWas(0); // as parseFrom(byte[]) checks: a stray end-group tag is an error, not the end
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new InvalidRequestException(
                    "the request body (" + toFunctionBytes.length + " bytes) is not a ToFunction message: "
                            + e.getMessage(), e));
        }
        if (!request.hasInvocation()) {
            return CompletableFuture.completedFuture(EMPTY_REPLY);
        }
        try {
            return handle(request.getInvocation());
        } catch (InvalidRequestException | FunctionInvocationException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            // e.g. a function supplier that throws: still a failed future, never an exception out of handle
            return CompletableFuture.failedFuture(new FunctionInvocationException(
                    "function " + request.getInvocation().getTarget().getNamespace() + "/"
                            + request.getInvocation().getTarget().getType() + " could not be run: " + e, e));
        }
    }

    private CompletableFuture<byte[]> handle(InvocationBatchRequest batch) {
        Address target = target(batch);
        ServedFunction function = functions.get(target.type());
        if (function == null) {
            throw new FunctionInvocationException("no function of type " + target.type() + " is served here (address "
                    + target + "); served types: " + functions.keySet());
        }
        IncompleteInvocationContext missing = missingState(function, batch);
        if (missing.getMissingValuesCount() > 0) {
            return CompletableFuture.completedFuture(
                    FromFunction.newBuilder().setIncompleteInvocationContext(missing).build().toByteArray());
        }
        if (batch.getInvocationsCount() == 0) {
            return CompletableFuture.completedFuture(FromFunction.newBuilder()
                    .setInvocationResult(InvocationResponse.getDefaultInstance()).build().toByteArray());
        }
        return new BatchExecution(function, target, batch).run();
    }

    private static Address target(InvocationBatchRequest batch) {
        if (!batch.hasTarget()) {
            throw new InvalidRequestException("the request's InvocationBatchRequest has no target address");
        }
        try {
            return WireConversions.fromWire(batch.getTarget());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the request's target " + e.getMessage(), e);
        }
    }

    /** @return every declared state that the request does not list (an empty message when none is missing) */
    private static IncompleteInvocationContext missingState(ServedFunction function, InvocationBatchRequest batch) {
        Set<String> present = new HashSet<>(batch.getStateCount() * 2);
        for (PersistedValue value : batch.getStateList()) {
            present.add(value.getStateName());
        }
        IncompleteInvocationContext.Builder missing = IncompleteInvocationContext.newBuilder();
        for (int i = 0; i < function.layout().size(); i++) {
            if (!present.contains(function.layout().spec(i).name())) {
                missing.addMissingValues(function.wireSpec(i));
            }
        }
        return missing.build();
    }
}
