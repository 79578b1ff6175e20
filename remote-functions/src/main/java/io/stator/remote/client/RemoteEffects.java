package io.stator.remote.client;

import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import java.time.Duration;
import java.util.List;

/**
 * Where the {@link RemoteDispatcher} delivers the effects of a remote function's reply. The runtime implements
 * it; only the partition thread calls it, from {@link RemoteDispatcher#drainCompletions()}.
 *
 * <p>For one reply the calls come in StateFun's order: {@link #send} for every outgoing message, then
 * {@link #sendAfter} and {@link #cancelDelayed} in the order the function issued them, then {@link #egress}; the
 * state mutations follow through {@link RemoteStateAccess}, and {@link #replyApplied} comes last. A reply is checked completely before its first effect
 * is delivered, so a bad reply delivers nothing. Implementations must not throw for a well-formed effect: an
 * exception propagates out of {@code drainCompletions} and leaves that reply half applied.
 */
public interface RemoteEffects {
    /** Delivers a message sent by the function at {@code from}; its caller is {@code from}. */
    void send(Address from, Message message);

    /**
     * Schedules a message sent by {@code from} after {@code delay}, measured from now (when the reply is applied).
     *
     * @param tokenOrNull the cancellation token, scoped to {@code from}, or null for none
     */
    void sendAfter(Address from, Duration delay, String tokenOrNull, Message message);

    /** Cancels {@code from}'s pending delayed message with {@code token}; unknown tokens are ignored. */
    void cancelDelayed(Address from, String token);

    /** Emits a record to an egress on behalf of {@code from}. */
    void egress(Address from, EgressMessage message);

    /**
     * Asked for every egress record of a reply before any of its effects is delivered.
     *
     * @return why the runtime cannot write {@code message} (too large for its egress, say), or null if it can; the
     *     reply is then refused whole, as a bad reply
     */
    default String egressRefusal(EgressMessage message) {
        return null;
    }

    /**
     * Reports that every effect of a reply to {@code self} was delivered.
     *
     * @param latencyNanos from the first send of the reply's batch to now, retries and state round trips included
     */
    void replyApplied(Address self, long latencyNanos);

    /**
     * Receives invocations that could not be processed: the batch to {@code target} failed after its retries,
     * or the function answered something Stator cannot apply. None of their effects were applied. Other
     * addresses are not affected, and {@code target}'s later messages are still sent.
     *
     * @param messages the batch's invocations, in arrival order
     * @param error    a one-line description naming the function, the URL and the cause
     */
    void deadLetter(Address target, List<RemoteInvocation> messages, String error);
}
