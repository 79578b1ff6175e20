package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.internal.DeadLetters;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A message too large for the other partition's inbox ring (over 1/8 of its capacity) arrives all the same, in
 * its place among the sender's messages: also when it is sent while that inbox is full and earlier messages wait
 * for room. It once went to the dead letters, or, sent while the inbox was full, stopped the partition.
 */
class OversizedMessageTest {
    static final int P = 2;
    static final int MAX_PARALLELISM = 8;
    static final TypeName SENDER = TypeName.typeNameOf("test", "sender");
    static final TypeName RECEIVER = TypeName.typeNameOf("test", "receiver");
    static final TypeName OUT = TypeName.typeNameOf("test", "out");

    @Test
    void aMessageLargerThanTheInboxArrivesInOrderWhetherOrNotTheInboxIsFull() {
        String receiver = Addresses.idOnPartition(RECEIVER, "r", 0, 1, P, MAX_PARALLELISM);
        String sender = Addresses.idOnPartition(SENDER, "s", 0, 0, P, MAX_PARALLELISM);
        // "N:SIZE": N small messages, then one of SIZE bytes, then one small one more
        StatefulFunction send = (ctx, msg) -> {
            String[] cmd = msg.asUtf8String().split(":");
            int n = Integer.parseInt(cmd[0]);
            for (int i = 0; i < n; i++) {
                ctx.send(MessageBuilder.forAddress(RECEIVER, receiver).withValue("small-" + i).build());
            }
            ctx.send(MessageBuilder.forAddress(RECEIVER, receiver).withValue("x".repeat(Integer.parseInt(cmd[1]))).build());
            ctx.send(MessageBuilder.forAddress(RECEIVER, receiver).withValue("last").build());
            return StatefulFunction.DONE;
        };
        StatefulFunction receive = (ctx, msg) -> {
            String text = msg.asUtf8String();
            ctx.send(EgressMessageBuilder.forEgress(OUT).withValue(text.startsWith("xxx") ? "large-" + text.length() : text).build());
            return StatefulFunction.DONE;
        };
        InMemoryEgress egress = new InMemoryEgress();
        try (Stator stator = Stator.builder().partitions(P).maxParallelism(MAX_PARALLELISM)
                .threadingMode(ThreadingMode.INVOKER).inboxCapacity(1024).egress(egress)
                .withFunction(StatefulFunctionSpec.builder(SENDER).withSupplier(() -> send).build())
                .withFunction(StatefulFunctionSpec.builder(RECEIVER).withSupplier(() -> receive).build())
                .start()) {
            stator.send(MessageBuilder.forAddress(SENDER, sender).withValue("0:500").build()); // the inbox is empty
            stator.runUntilIdle();
            stator.send(MessageBuilder.forAddress(SENDER, sender).withValue("40:500").build()); // 40 fill it first
            stator.runUntilIdle();

            List<String> out = egress.records(OUT).stream().map(Types2::string).toList();
            List<String> expected = new java.util.ArrayList<>(List.of("large-500", "last"));
            for (int i = 0; i < 40; i++) {
                expected.add("small-" + i);
            }
            expected.addAll(List.of("large-500", "last"));
            assertEquals(expected, out);
            assertEquals(0, egress.count(DeadLetters.EGRESS));
            long backpressure = stator.counters().stream().mapToLong(c -> c.backpressureEvents()).sum();
            assertTrue(backpressure > 0, "the 40 small messages filled the inbox");
        }
    }
}
