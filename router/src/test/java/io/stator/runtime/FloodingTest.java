package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two partitions flood each other through inboxes of a few KiB: each partition's burst function sends thousands
 * of messages to the other partition at once, and every receiver answers back across the partitions again.
 * Both rings fill at the same time; nothing may deadlock or get lost.
 */
@Timeout(120)
class FloodingTest {
    static final int P = 2;
    static final int MAX_PARALLELISM = 16;
    static final TypeName BURST = TypeName.typeNameOf("flood", "burst");
    static final TypeName ECHO = TypeName.typeNameOf("flood", "echo");
    static final TypeName SINK = TypeName.typeNameOf("flood", "sink");
    static final TypeName DONE = TypeName.typeNameOf("flood", "done");
    static final int PER_BURST = 20_000;

    /** Sends PER_BURST messages to echo addresses on the other partition. */
    static StatefulFunction burst(String[][] echoIdsByPartition) {
        return (ctx, msg) -> {
            int from = msg.asInt();
            String[] targets = echoIdsByPartition[1 - from];
            for (int i = 0; i < PER_BURST; i++) {
                ctx.send(MessageBuilder.forAddress(ECHO, targets[i % targets.length]).withValue(from * PER_BURST + i).build());
            }
            return StatefulFunction.DONE;
        };
    }

    /** Answers to a sink on the caller's partition: traffic flows both ways at once. */
    static StatefulFunction echo(String[][] sinkIdsByPartition, int partitions) {
        return (ctx, msg) -> {
            int n = msg.asInt();
            int callerPartition = n / PER_BURST;
            String[] sinks = sinkIdsByPartition[callerPartition];
            ctx.send(MessageBuilder.forAddress(SINK, sinks[n % sinks.length]).withValue(n).build());
            return StatefulFunction.DONE;
        };
    }

    static final StatefulFunction SINKS = (ctx, msg) -> {
        ctx.send(EgressMessageBuilder.forEgress(DONE).withValue(msg.asInt()).build());
        return StatefulFunction.DONE;
    };

    @Test
    void partitionsFloodingEachOtherThroughTinyInboxesFinishWithoutLoss() throws Exception {
        String[][] echoIds = new String[P][64];
        String[][] sinkIds = new String[P][64];
        for (int p = 0; p < P; p++) {
            for (int i = 0; i < 64; i++) {
                echoIds[p][i] = Addresses.idOnPartition(ECHO, "e", i, p, P, MAX_PARALLELISM);
                sinkIds[p][i] = Addresses.idOnPartition(SINK, "s", i, p, P, MAX_PARALLELISM);
            }
        }
        InMemoryEgress egress = new InMemoryEgress();
        try (Stator stator = Stator.builder()
                .partitions(P)
                .maxParallelism(MAX_PARALLELISM)
                .inboxCapacity(4096)
                .egress(egress)
                .withFunction(StatefulFunctionSpec.builder(BURST).withSupplier(() -> burst(echoIds)).build())
                .withFunction(StatefulFunctionSpec.builder(ECHO).withSupplier(() -> echo(sinkIds, P)).build())
                .withFunction(StatefulFunctionSpec.builder(SINK).withSupplier(() -> SINKS).build())
                .start()) {
            for (int p = 0; p < P; p++) {
                String burstId = Addresses.idOnPartition(BURST, "b", 0, p, P, MAX_PARALLELISM);
                stator.send(MessageBuilder.forAddress(BURST, burstId).withValue(p).build());
            }
            var records = egress.await(DONE, P * PER_BURST, Duration.ofSeconds(90));
            Set<Integer> seen = new HashSet<>();
            for (InMemoryEgress.Record r : records) {
                assertTrue(seen.add(Types2.integer(r)), "duplicate " + Types2.integer(r));
            }
            assertEquals(P * PER_BURST, seen.size());
            long backpressure = stator.counters().stream().mapToLong(c -> c.backpressureEvents()).sum();
            assertTrue(backpressure > 0, "the tiny inboxes should have filled at least once");
        }
    }
}
