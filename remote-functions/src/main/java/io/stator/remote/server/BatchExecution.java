package io.stator.remote.server;

import com.google.protobuf.ByteString;
import io.stator.remote.internal.RecentTypeNames;
import io.stator.remote.internal.WireConversions;
import io.stator.remote.protocol.ToFunction;
import io.stator.remote.protocol.ToFunction.InvocationBatchRequest;
import io.stator.remote.protocol.ToFunction.PersistedValue;
import io.stator.remote.protocol.TypedValue;
import io.stator.sdk.Address;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.internal.CellStorage;
import io.stator.sdk.internal.TypedMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs the invocations of one batch for one address, one after another, sharing one {@link CellStorage} so that
 * each invocation sees the state written by the ones before it, and collects all their effects into one
 * response.
 *
 * <p>Threading: the first invocations run on the calling thread. When a function returns an unfinished future,
 * the rest of the batch continues on the thread that completes it; nothing ever blocks waiting for it. Only one
 * invocation runs at a time, and each future's completion orders the storage writes before the next read.
 */
final class BatchExecution {
    private final ServedFunction function;
    private final Address target;
    private final InvocationBatchRequest batch;
    private final CellStorage storage;
    private final ResponseCollector effects = new ResponseCollector();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    /** The batch's invocations usually all carry the same argument type: parse its name once. */
    private final RecentTypeNames typeNames = new RecentTypeNames();
    private StatefulFunction instance;

    BatchExecution(ServedFunction function, Address target, InvocationBatchRequest batch) {
        this.function = function;
        this.target = target;
        this.batch = batch;
        this.storage = new CellStorage(function.layout());
    }

    /** @return the serialized {@code FromFunction}, or a failed future if any invocation failed */
    CompletableFuture<byte[]> run() {
        storage.reset(target);
        loadState();
        instance = function.spec().supplier().get();
        runFrom(0);
        return result;
    }

    private void loadState() {
        for (PersistedValue persisted : batch.getStateList()) {
            int index = function.layout().indexOf(persisted.getStateName());
            if (index < 0 || !persisted.hasStateValue() || !persisted.getStateValue().getHasValue()) {
                continue; // an undeclared state is ignored; an absent value means "no value"
            }
            TypedValue value = persisted.getStateValue();
            byte[] bytes = value.getValue().toByteArray();
            if (value.getTypename().isEmpty()) {
                storage.load(index, bytes); // old runtimes may leave the type name out: trust the declaration
                continue;
            }
            try {
                storage.load(index, typeNames.parse(value.getTypename()), bytes);
            } catch (IllegalArgumentException e) {
                storage.poison(index, "holds a value whose type name is invalid: " + e.getMessage());
            }
        }
    }

    /** Runs invocations from {@code first} on; loops while functions complete synchronously (no deep stacks). */
    private void runFrom(int first) {
        int count = batch.getInvocationsCount();
        for (int i = first; i < count; i++) {
            int current = i;
            CompletableFuture<Void> call = invoke(current);
            if (!call.isDone()) {
                call.whenComplete((ignored, error) -> {
                    if (error != null) {
                        fail(current, error);
                    } else {
                        runFrom(current + 1);
                    }
                });
                return;
            }
            if (call.isCompletedExceptionally()) {
                call.whenComplete((ignored, error) -> fail(current, error));
                return;
            }
        }
        finish();
    }

    private CompletableFuture<Void> invoke(int index) {
        ToFunction.Invocation invocation = batch.getInvocations(index);
        Message message;
        Address caller;
        try {
            message = argument(invocation);
            caller = invocation.hasCaller() ? WireConversions.fromWireOrNull(invocation.getCaller()) : null;
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new InvalidRequestException(describe(index) + ": " + e.getMessage(), e));
        }
        try {
            CompletableFuture<Void> call = instance.apply(new RemoteCallContext(storage, caller, effects), message);
            return call == null ? StatefulFunction.DONE : call;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    private Message argument(ToFunction.Invocation invocation) {
        TypedValue argument = invocation.getArgument();
        if (!invocation.hasArgument() || !argument.getHasValue()) {
            throw new IllegalArgumentException("the argument is unset; invocation arguments must have has_value=true");
        }
        ByteString value = argument.getValue();
        return new TypedMessage(target, typeNames.parse(argument.getTypename()), value.toByteArray());
    }

    private void finish() {
        try {
            result.complete(effects.finish(storage));
        } catch (RuntimeException e) {
            result.completeExceptionally(new FunctionInvocationException(
                    "function " + target.type() + ", address " + target + ": cannot encode the response: " + e, e));
        }
    }

    private void fail(int index, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof InvalidRequestException) {
            result.completeExceptionally(cause);
            return;
        }
        result.completeExceptionally(new FunctionInvocationException(describe(index) + " failed: " + cause, cause));
    }

    private String describe(int index) {
        return "function " + target.type() + ", address " + target + ", invocation " + (index + 1) + " of "
                + batch.getInvocationsCount();
    }
}
