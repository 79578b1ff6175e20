package io.stator.ingress;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;

/**
 * What the HTTP ingress asks the runtime before it appends a record. Called from HTTP worker threads,
 * concurrently: implementations are thread-safe and quick.
 */
public interface IngressGate {
    /** @return true if a function of this type is registered (embedded or remote) */
    boolean knowsFunctionType(TypeName functionType);

    /** @return the key group the runtime routes this address to */
    int keyGroupFor(Address target);

    /**
     * @return true if the runtime should take no more input now (its partitions are too far behind the log, say);
     *     the request is refused with 503 and {@code Retry-After}
     */
    boolean backpressured();

    /**
     * A request failed with a JVM error (other than a stack overflow): most likely the ingress log's memory-mapped
     * file faulted on a full disk, after which the log keeps its write lock and takes no more appends. The process
     * should stop, so that a restart resumes from the last snapshot. Called on the worker thread, before the
     * error goes on to the HTTP server. Default: nothing.
     */
    default void appendFailedFatally(VirtualMachineError error) {
    }
}
