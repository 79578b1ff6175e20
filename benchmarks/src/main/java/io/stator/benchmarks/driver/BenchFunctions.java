package io.stator.benchmarks.driver;

import io.stator.sdk.Context;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.concurrent.CompletableFuture;

/**
 * The functions the workloads run, and the names they use. Every function reads and writes the probe payload of
 * {@link ProbeDescriptor}; none of them allocates more than the record it emits.
 */
final class BenchFunctions {
    /** The egress every workload writes its results to. */
    static final TypeName EGRESS = TypeName.typeNameOf("bench", "results");
    /** W0: emits its input unchanged. */
    static final TypeName ECHO = TypeName.typeNameOf("bench", "echo");
    /** W1, W4: the embedded counter. */
    static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    /** W2: the counter behind the remote function server; its own namespace, so no embedded function shadows it. */
    static final TypeName REMOTE_COUNTER = TypeName.typeNameOf("bench-remote", "counter");
    /** W3: the first hop, which forwards to {@link #CHAIN_B} on the next key. */
    static final TypeName CHAIN_A = TypeName.typeNameOf("bench", "chain-a");
    /** W3: the second hop, a counter. */
    static final TypeName CHAIN_B = TypeName.typeNameOf("bench", "chain-b");
    /** The per-key counter. */
    static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();

    private static final String REMINDER_TOKEN = "idle";
    private static final java.time.Duration REMINDER_DELAY = java.time.Duration.ofHours(1);
    private static final byte[] REMINDER = new byte[0];

    private BenchFunctions() {
    }

    /** @return W0's function: no state, emits the ingress probe as it came */
    static StatefulFunctionSpec echo() {
        StatefulFunction echo = new Echo();
        return StatefulFunctionSpec.builder(ECHO).withSupplier(() -> echo).build();
    }

    /** @return a counter of function type {@code type}: adds 1 to its key's count and emits the probe with it */
    static StatefulFunctionSpec counter(TypeName type) {
        StatefulFunction counter = new Counter();
        return StatefulFunctionSpec.builder(type).withValueSpec(COUNT).withSupplier(() -> counter).build();
    }

    /**
     * @return a counter that also re-arms a delayed message to itself at every message, as a shopping cart re-arms
     *     its idle expiry: it cancels its pending one and sets another, due in an hour (so none fires in a run).
     *     Every key then has one pending, and each message sets one timer and removes one
     */
    static StatefulFunctionSpec counterWithReminder(TypeName type) {
        StatefulFunction counter = new Counter();
        StatefulFunction withReminder = (context, message) -> {
            context.cancelDelayedMessage(REMINDER_TOKEN);
            context.sendAfter(REMINDER_DELAY, REMINDER_TOKEN, MessageBuilder.forAddress(context.self())
                    .withTypedValue(ProbeDescriptor.TYPE, REMINDER).build());
            return counter.apply(context, message);
        };
        return StatefulFunctionSpec.builder(type).withValueSpec(COUNT).withSupplier(() -> withReminder).build();
    }

    /** @return W3's first hop: no state, sends the probe on to {@code next} at the next key */
    static StatefulFunctionSpec forwarder(TypeName type, TypeName next, KeySpace keys) {
        StatefulFunction forwarder = new Forwarder(next, keys);
        return StatefulFunctionSpec.builder(type).withSupplier(() -> forwarder).build();
    }

    /** Emits the message's value to {@link #EGRESS} unread. */
    private static final class Echo implements StatefulFunction {
        @Override
        public CompletableFuture<Void> apply(Context context, Message message) {
            context.send(EgressMessageBuilder.forEgress(EGRESS)
                    .withTypedValue(message.valueTypeName(), message.rawValue()).build());
            return DONE;
        }
    }

    /** Counts the messages of its address in {@link #COUNT} and emits each new count with the probe. */
    private static final class Counter implements StatefulFunction {
        @Override
        public CompletableFuture<Void> apply(Context context, Message message) {
            long count = context.storage().get(COUNT).orElse(0L) + 1;
            context.storage().set(COUNT, count);
            byte[] probe = ProbeDescriptor.egressWithCount(message.rawValue(), count);
            context.send(EgressMessageBuilder.forEgress(EGRESS).withTypedValue(ProbeDescriptor.TYPE, probe).build());
            return DONE;
        }
    }

    /** Sends the probe to the same message's next key: one more hop, usually to another partition. */
    private static final class Forwarder implements StatefulFunction {
        private final TypeName next;
        private final KeySpace keys;

        Forwarder(TypeName next, KeySpace keys) {
            this.next = next;
            this.keys = keys;
        }

        @Override
        public CompletableFuture<Void> apply(Context context, Message message) {
            byte[] probe = message.rawValue();
            String nextId = keys.id(keys.nextKey(keys.keyOf(ProbeDescriptor.index(probe))));
            context.send(MessageBuilder.forAddress(next, nextId)
                    .withTypedValue(message.valueTypeName(), probe).build());
            return DONE;
        }
    }
}
