package io.stator.runtime.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a function's finished future says about the call, without the wrapping exceptions. */
final class Futures {
    private Futures() {
    }

    /** @return why a completed future failed, or null if it succeeded */
    static Throwable failureOf(CompletableFuture<Void> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            return null;
        } catch (Throwable t) {
            return unwrap(t);
        }
    }

    /** @return the cause inside completion and execution wrappers */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
