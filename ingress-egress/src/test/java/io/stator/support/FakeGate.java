package io.stator.support;

import io.stator.ingress.IngressGate;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** An ingress gate with a fixed set of function types, a switchable backpressure flag and key group = id length. */
public final class FakeGate implements IngressGate {
    private final Set<TypeName> functionTypes;
    private final AtomicBoolean backpressured = new AtomicBoolean();
    /** Thrown by {@link #keyGroupFor} while set, as a fault inside a request would be. */
    private volatile Error fault;
    private final java.util.List<VirtualMachineError> fatal = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<String> keyGroupThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param functionTypes the known function types */
    public FakeGate(TypeName... functionTypes) {
        this.functionTypes = Set.of(functionTypes);
    }

    @Override
    public boolean knowsFunctionType(TypeName functionType) {
        return functionTypes.contains(functionType);
    }

    @Override
    public int keyGroupFor(Address target) {
        keyGroupThreads.add(Thread.currentThread().getName());
        Error f = fault;
        if (f != null) {
            throw f;
        }
        return target.id().length();
    }

    @Override
    public void appendFailedFatally(VirtualMachineError error) {
        fatal.add(error);
    }

    /** Makes every request fail with {@code error} (null: no more). */
    public void fail(Error error) {
        fault = error;
    }

    /** @return the names of the threads that asked for a key group (once per record), in order */
    public java.util.List<String> keyGroupThreads() {
        return keyGroupThreads;
    }

    /** @return the errors reported as fatal so far */
    public java.util.List<VirtualMachineError> fatal() {
        return fatal;
    }

    @Override
    public boolean backpressured() {
        return backpressured.get();
    }

    /** Switches backpressure on or off. */
    public void backpressure(boolean on) {
        backpressured.set(on);
    }
}
