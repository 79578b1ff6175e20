package io.stator.runtime.internal;

import io.stator.sdk.Address;
import io.stator.sdk.AddressScopedStorage;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.internal.CellStorage;
import io.stator.sdk.internal.ContextArguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;

/**
 * One call of an embedded function: the {@link Context} the function sees, and the effects it buffers until
 * the call completes. The partition applies the effects on its own thread, in StateFun's order: messages,
 * delayed messages and cancellations (in call order), egress records, then state.
 *
 * <p>A synchronous call's invocation is reused for the next call of the same function type; an asynchronous
 * one stays with its call until the completion has been applied.
 */
public final class Invocation implements Context {
    /** A buffered {@code sendAfter} (message non-null) or {@code cancelDelayedMessage} (message null). */
    record DelayedOp(long delayMillis, String token, Message message) {
    }

    final FunctionType function;
    final CellStorage storage;
    final ArrayList<Message> sends = new ArrayList<>(4);
    final ArrayList<DelayedOp> delayedOps = new ArrayList<>(2);
    final ArrayList<EgressMessage> egress = new ArrayList<>(2);
    Envelope message;
    /** When the call started (System.nanoTime), for the latency histogram. */
    long startNanos;
    /** Set by the completing thread before the invocation is handed back to the partition. */
    volatile Throwable failure;

    Invocation(FunctionType function) {
        this.function = function;
        this.storage = new CellStorage(function.layout());
    }

    void begin(Envelope message) {
        this.message = message;
        this.failure = null;
        storage.reset(message.target);
        sends.clear();
        delayedOps.clear();
        egress.clear();
    }

    @Override
    public Address self() {
        return message.target;
    }

    @Override
    public Optional<Address> caller() {
        return Optional.ofNullable(message.caller);
    }

    @Override
    public void send(Message msg) {
        sends.add(Objects.requireNonNull(msg, "message"));
    }

    @Override
    public void sendAfter(Duration delay, Message msg) {
        long millis = ContextArguments.delay(message.target, delay).toMillis();
        delayedOps.add(new DelayedOp(millis, null, Objects.requireNonNull(msg, "message")));
    }

    @Override
    public void sendAfter(Duration delay, String cancellationToken, Message msg) {
        long millis = ContextArguments.delay(message.target, delay).toMillis();
        String token = ContextArguments.cancellationToken(message.target, cancellationToken);
        delayedOps.add(new DelayedOp(millis, token, Objects.requireNonNull(msg, "message")));
    }

    @Override
    public void cancelDelayedMessage(String cancellationToken) {
        delayedOps.add(new DelayedOp(0, ContextArguments.cancellationToken(message.target, cancellationToken), null));
    }

    @Override
    public void send(EgressMessage msg) {
        egress.add(Objects.requireNonNull(msg, "message"));
    }

    @Override
    public AddressScopedStorage storage() {
        return storage;
    }
}
