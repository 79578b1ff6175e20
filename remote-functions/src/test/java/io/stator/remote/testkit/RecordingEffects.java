package io.stator.remote.testkit;

import io.stator.remote.client.RemoteEffects;
import io.stator.remote.client.RemoteInvocation;
import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link RemoteEffects} that records every call, in order. */
public final class RecordingEffects implements RemoteEffects {
    /** A message sent by {@code from}. */
    public record Sent(Address from, Message message) {
    }

    /** A delayed message or (with a null message) a cancellation. */
    public record Delayed(Address from, Duration delay, String token, Message message) {
        public boolean isCancellation() {
            return message == null;
        }
    }

    /** An egress record emitted by {@code from}. */
    public record Egress(Address from, EgressMessage message) {
    }

    /** A dead-lettered batch. */
    public record DeadLetter(Address target, List<RemoteInvocation> messages, String error) {
    }

    public final List<Sent> sent = new ArrayList<>();
    public final List<Delayed> delayed = new ArrayList<>();
    public final List<Egress> egress = new ArrayList<>();
    public final List<DeadLetter> deadLetters = new ArrayList<>();
    /** The latency of every applied reply, in nanoseconds (not in {@link #order}: it is not an effect). */
    public final List<Long> replyLatencies = new ArrayList<>();
    /** Every call as a short tag, to check the order effects are applied in. */
    public final List<String> order = new ArrayList<>();
    /** Egress records larger than this many bytes are refused, as a runtime refuses what its log cannot take. */
    public int maxEgressBytes = Integer.MAX_VALUE;

    @Override
    public String egressRefusal(EgressMessage message) {
        return message.rawValue().length > maxEgressBytes ? "over " + maxEgressBytes + " bytes" : null;
    }

    @Override
    public void send(Address from, Message message) {
        sent.add(new Sent(from, message));
        order.add("send");
    }

    @Override
    public void sendAfter(Address from, Duration delay, String tokenOrNull, Message message) {
        delayed.add(new Delayed(from, delay, tokenOrNull, message));
        order.add("sendAfter");
    }

    @Override
    public void cancelDelayed(Address from, String token) {
        delayed.add(new Delayed(from, null, token, null));
        order.add("cancel");
    }

    @Override
    public void egress(Address from, EgressMessage message) {
        egress.add(new Egress(from, message));
        order.add("egress");
    }

    @Override
    public void replyApplied(Address self, long latencyNanos) {
        replyLatencies.add(latencyNanos);
    }

    @Override
    public void deadLetter(Address target, List<RemoteInvocation> messages, String error) {
        deadLetters.add(new DeadLetter(target, List.copyOf(messages), error));
        order.add("deadLetter");
    }
}
