package io.stator.sdk;

import java.time.Duration;
import java.util.Optional;

/**
 * What a function can see and do during one call. Effects (messages, delayed messages, egress records and
 * state writes) take effect when the call's future completes; if the call fails, none of them do.
 *
 * <p>A context belongs to one call: do not keep it after the call's future completed.
 */
public interface Context {
    /** @return the address being invoked */
    Address self();

    /** @return the address that sent the message, or empty for messages from an ingress or a timer with no sender */
    Optional<Address> caller();

    /** Sends a message to another function (or to {@link #self()}). */
    void send(Message message);

    /**
     * Sends a message after a delay. The delay is measured from when the call completes.
     *
     * @throws IllegalArgumentException if the delay is negative
     */
    void sendAfter(Duration delay, Message message);

    /**
     * Sends a message after a delay, under a cancellation token that {@link #cancelDelayedMessage} can use.
     * A token is scoped to the sending address and may not be reused while its message is pending.
     *
     * @throws IllegalArgumentException if the delay is negative or the token is empty
     */
    void sendAfter(Duration delay, String cancellationToken, Message message);

    /**
     * Cancels a pending delayed message sent by this address under {@code cancellationToken}. Cancelling a
     * token that is unknown or already delivered does nothing.
     *
     * @throws IllegalArgumentException if the token is empty
     */
    void cancelDelayedMessage(String cancellationToken);

    /** Emits a record to an egress. */
    void send(EgressMessage message);

    /** @return the state of {@link #self()} */
    AddressScopedStorage storage();
}
