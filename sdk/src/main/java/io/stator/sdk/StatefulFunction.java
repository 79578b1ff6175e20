package io.stator.sdk;

import java.util.concurrent.CompletableFuture;

/**
 * A function: called with one message at a time per address, with that address's state.
 *
 * <p>Return a completed future ({@code context.done()}-style: {@link #DONE}) when the work is synchronous. Return
 * an unfinished future to do asynchronous work: the address is parked, later messages to it wait in order, and
 * the call's effects apply when the future completes. A future that completes exceptionally, or a thrown
 * exception, fails the call and discards its effects.
 */
@FunctionalInterface
public interface StatefulFunction {
    /** A completed future to return from synchronous functions. */
    CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * @param context the call's context: self, caller, state, and the ways to send
     * @param message the message
     * @return a future that completes when the call's work is done
     */
    CompletableFuture<Void> apply(Context context, Message message) throws Throwable;
}
