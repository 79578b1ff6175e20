package io.stator.remote.server;

import io.stator.sdk.Address;
import io.stator.sdk.AddressScopedStorage;
import io.stator.sdk.Context;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import io.stator.sdk.internal.CellStorage;
import io.stator.sdk.internal.ContextArguments;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Context} of one invocation served over HTTP: the address and caller come from the request, the
 * storage is the batch's {@link CellStorage} (so later invocations of the batch see earlier writes), and every
 * effect goes into the batch's {@link ResponseCollector}. This is what lets a function class written for the
 * embedded runtime run remotely unchanged.
 */
final class RemoteCallContext implements Context {
    private final CellStorage storage;
    private final Address caller;
    private final ResponseCollector effects;

    RemoteCallContext(CellStorage storage, Address callerOrNull, ResponseCollector effects) {
        this.storage = storage;
        this.caller = callerOrNull;
        this.effects = effects;
    }

    @Override
    public Address self() {
        return storage.self();
    }

    @Override
    public Optional<Address> caller() {
        return Optional.ofNullable(caller);
    }

    @Override
    public void send(Message message) {
        effects.message(Objects.requireNonNull(message, "message"));
    }

    @Override
    public void sendAfter(Duration delay, Message message) {
        effects.delayedMessage(ContextArguments.delay(self(), delay), null, Objects.requireNonNull(message, "message"));
    }

    @Override
    public void sendAfter(Duration delay, String cancellationToken, Message message) {
        Duration checked = ContextArguments.delay(self(), delay);
        String token = ContextArguments.cancellationToken(self(), cancellationToken);
        effects.delayedMessage(checked, token, Objects.requireNonNull(message, "message"));
    }

    @Override
    public void cancelDelayedMessage(String cancellationToken) {
        effects.cancellation(ContextArguments.cancellationToken(self(), cancellationToken));
    }

    @Override
    public void send(EgressMessage message) {
        effects.egress(Objects.requireNonNull(message, "message"));
    }

    @Override
    public AddressScopedStorage storage() {
        return storage;
    }
}
