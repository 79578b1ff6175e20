package io.stator.sdk.testing;

import io.stator.sdk.Address;
import io.stator.sdk.AddressScopedStorage;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.ValueSpec;
import io.stator.sdk.internal.CellStorage;
import io.stator.sdk.internal.ContextArguments;
import io.stator.sdk.internal.StateLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Context} for unit tests: it records what a function sends, keeps the address's state between calls,
 * enforces the function's declared state exactly as the runtime does, and has a virtual clock for delayed
 * messages. No runtime, threads or I/O.
 *
 * <pre>{@code
 * TestContext ctx = TestContext.forFunction(Greeter.SPEC, "alice");
 * ctx.invoke(MessageBuilder.forAddress(Greeter.TYPE, "alice").withValue("hi").build()).join();
 * assertEquals(1, ctx.storage().get(Greeter.SEEN).orElseThrow());
 * List<Message> due = ctx.advanceTimeBy(Duration.ofMinutes(30));
 * }</pre>
 */
public final class TestContext implements Context {
    private final StatefulFunctionSpec function;
    private final Address self;
    private final CellStorage storage;
    private Address caller;
    private Duration now = Duration.ZERO;
    private final List<Message> sent = new ArrayList<>();
    private final List<EgressMessage> egress = new ArrayList<>();
    private final List<DelayedMessage> pending = new ArrayList<>();

    private TestContext(StatefulFunctionSpec function, Address self) {
        this.function = function;
        this.self = self;
        this.storage = new CellStorage(new StateLayout(function));
        this.storage.reset(self);
    }

    /** @return a context for calls to {@code function} at id {@code id}, with empty state, at virtual time 0 */
    public static TestContext forFunction(StatefulFunctionSpec function, String id) {
        Objects.requireNonNull(function, "function");
        return new TestContext(function, new Address(function.typeName(), id));
    }

    /** Sets the caller seen by later calls; null for none. */
    public TestContext withCaller(Address caller) {
        this.caller = caller;
        return this;
    }

    /** Presets a state value before the first call. */
    public <T> TestContext withState(ValueSpec<T> spec, T value) {
        storage.set(spec, value);
        return this;
    }

    /**
     * Calls a fresh instance of the function with {@code message}, as the runtime would. As at runtime, a failed
     * call (the function throws, or its future completes exceptionally) has no effects: the messages, egress
     * records, delayed messages, cancellations and state writes it made are undone. Wait for a call's future
     * before invoking again, as the runtime does for one address.
     *
     * @return the call's future, failed if the function failed; a failed call's effects are undone before it
     *         completes
     */
    public CompletableFuture<Void> invoke(Message message) {
        EffectsBefore before = recordEffectsBefore();
        CompletableFuture<Void> result;
        try {
            StatefulFunction instance = function.supplier().get();
            CompletableFuture<Void> returned = instance.apply(this, message);
            result = returned == null ? StatefulFunction.DONE : returned;
        } catch (Throwable t) {
            result = CompletableFuture.failedFuture(t);
        }
        return result.whenComplete((ignored, failure) -> {
            if (failure != null) {
                undoEffectsSince(before);
            }
        });
    }

    /** @return the virtual time elapsed since this context was made */
    public Duration now() {
        return now;
    }

    /**
     * Moves the virtual clock forward and takes the delayed messages that became due, in due order.
     *
     * @return the messages now due; they are no longer pending
     */
    public List<Message> advanceTimeBy(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot move time backwards: " + duration);
        }
        now = now.plus(duration);
        List<DelayedMessage> due = new ArrayList<>();
        for (Iterator<DelayedMessage> it = pending.iterator(); it.hasNext(); ) {
            DelayedMessage d = it.next();
            if (d.dueAt().compareTo(now) <= 0) {
                due.add(d);
                it.remove();
            }
        }
        due.sort((a, b) -> a.dueAt().compareTo(b.dueAt()));
        List<Message> out = new ArrayList<>(due.size());
        for (DelayedMessage d : due) {
            out.add(d.message());
        }
        return out;
    }

    /** @return the messages sent so far, in order */
    public List<Message> sentMessages() {
        return Collections.unmodifiableList(sent);
    }

    /** @return the egress records emitted so far, in order */
    public List<EgressMessage> sentEgressMessages() {
        return Collections.unmodifiableList(egress);
    }

    /** @return the delayed messages not yet due and not cancelled */
    public List<DelayedMessage> pendingDelayedMessages() {
        return Collections.unmodifiableList(pending);
    }

    /** Forgets the recorded messages and egress records (state and pending delayed messages stay). */
    public void clearSent() {
        sent.clear();
        egress.clear();
    }

    @Override
    public Address self() {
        return self;
    }

    @Override
    public Optional<Address> caller() {
        return Optional.ofNullable(caller);
    }

    @Override
    public void send(Message message) {
        sent.add(Objects.requireNonNull(message, "message"));
    }

    @Override
    public void sendAfter(Duration delay, Message message) {
        schedule(delay, null, message);
    }

    @Override
    public void sendAfter(Duration delay, String cancellationToken, Message message) {
        ContextArguments.cancellationToken(self, cancellationToken);
        for (DelayedMessage d : pending) {
            if (d.cancellationToken().filter(cancellationToken::equals).isPresent()) {
                throw new IllegalStateException("address " + self + " reuses cancellation token '"
                        + cancellationToken + "' while its delayed message is still pending");
            }
        }
        schedule(delay, cancellationToken, message);
    }

    @Override
    public void cancelDelayedMessage(String cancellationToken) {
        ContextArguments.cancellationToken(self, cancellationToken);
        pending.removeIf(d -> d.cancellationToken().filter(cancellationToken::equals).isPresent());
    }

    @Override
    public void send(EgressMessage message) {
        egress.add(Objects.requireNonNull(message, "message"));
    }

    @Override
    public AddressScopedStorage storage() {
        return storage;
    }

    private EffectsBefore recordEffectsBefore() {
        byte[][] state = new byte[storage.layout().size()][];
        for (int i = 0; i < state.length; i++) {
            state[i] = storage.value(i);
        }
        return new EffectsBefore(sent.size(), egress.size(), new ArrayList<>(pending), state);
    }

    private void undoEffectsSince(EffectsBefore before) {
        sent.subList(Math.min(before.sentCount(), sent.size()), sent.size()).clear();
        egress.subList(Math.min(before.egressCount(), egress.size()), egress.size()).clear();
        pending.clear();
        pending.addAll(before.pending());
        storage.reset(self);
        for (int i = 0; i < before.state().length; i++) {
            storage.load(i, before.state()[i]);
        }
    }

    /**
     * What the context held when a call started, so a failed call can be undone. Stored values are immutable
     * byte arrays (a write replaces a cell's array), so keeping the references is enough.
     */
    private record EffectsBefore(int sentCount, int egressCount, List<DelayedMessage> pending, byte[][] state) {
    }

    private void schedule(Duration delay, String token, Message message) {
        ContextArguments.delay(self, delay);
        Objects.requireNonNull(message, "message");
        pending.add(new DelayedMessage(now.plus(delay), Optional.ofNullable(token), message));
    }
}
