package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroups;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Messages to many addresses over two partitions keep per-sender order and every counter ends exact. */
@Timeout(120)
class RoutingOrderTest {
    static final TypeName SENDER = TypeName.typeNameOf("test", "sender");
    static final TypeName COUNTER = TypeName.typeNameOf("test", "counter");
    static final TypeName COUNTS = TypeName.typeNameOf("test", "counts");
    static final TypeName VIOLATIONS = TypeName.typeNameOf("test", "violations");
    static final int ADDRESSES = 10_000;
    static final int ROUNDS = 3;

    static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();
    static final ValueSpec<Integer> LAST_FROM_A = ValueSpec.named("last_from_a").withIntType();
    static final ValueSpec<Integer> LAST_FROM_B = ValueSpec.named("last_from_b").withIntType();

    /** On "go", sends ROUNDS messages to every counter address, each numbered by a per-sender sequence. */
    static final StatefulFunction SENDS = (ctx, msg) -> {
        int seq = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < ADDRESSES; i++) {
                ctx.send(MessageBuilder.forAddress(COUNTER, "c" + i).withValue(seq++).build());
            }
        }
        return StatefulFunction.DONE;
    };

    /** Counts messages and checks that each sender's sequence numbers only grow. */
    static final StatefulFunction COUNTS_AND_CHECKS = (ctx, msg) -> {
        ValueSpec<Integer> last = ctx.caller().orElseThrow().id().equals("a") ? LAST_FROM_A : LAST_FROM_B;
        int seq = msg.asInt();
        int previous = ctx.storage().get(last).orElse(-1);
        if (seq <= previous) {
            ctx.send(EgressMessageBuilder.forEgress(VIOLATIONS)
                    .withValue(ctx.self() + " got " + seq + " after " + previous).build());
        }
        ctx.storage().set(last, seq);
        int count = ctx.storage().get(COUNT).orElse(0) + 1;
        ctx.storage().set(COUNT, count);
        ctx.send(EgressMessageBuilder.forEgress(COUNTS).withValue(ctx.self().id() + "=" + count).build());
        return StatefulFunction.DONE;
    };

    @Test
    void tenThousandAddressesOverTwoPartitionsKeepPerSenderOrderAndExactCounts() throws Exception {
        InMemoryEgress egress = new InMemoryEgress();
        int maxParallelism = 8;
        try (Stator stator = Stator.builder()
                .partitions(2)
                .maxParallelism(maxParallelism)
                .inboxCapacity(64 * 1024)
                .egress(egress)
                .withFunction(StatefulFunctionSpec.builder(SENDER).withSupplier(() -> SENDS).build())
                .withFunction(StatefulFunctionSpec.builder(COUNTER)
                        .withValueSpecs(COUNT, LAST_FROM_A, LAST_FROM_B)
                        .withSupplier(() -> COUNTS_AND_CHECKS)
                        .build())
                .start()) {
            Set<Integer> partitionsUsed = new HashSet<>();
            for (int i = 0; i < ADDRESSES; i++) {
                int kg = KeyGroups.keyGroupFor(new io.stator.sdk.Address(COUNTER, "c" + i), maxParallelism);
                partitionsUsed.add(KeyGroups.partitionFor(kg, 2, maxParallelism));
            }
            assertEquals(Set.of(0, 1), partitionsUsed, "the addresses must span both partitions");

            stator.send(MessageBuilder.forAddress(SENDER, "a").withValue("go").build());
            stator.send(MessageBuilder.forAddress(SENDER, "b").withValue("go").build());

            int expected = 2 * ROUNDS * ADDRESSES;
            var records = egress.await(COUNTS, expected, Duration.ofSeconds(90));
            assertEquals(expected, records.size());
            assertEquals(0, egress.count(VIOLATIONS), () -> "order violations: " + egress.records(VIOLATIONS).subList(
                    0, Math.min(5, egress.count(VIOLATIONS))));

            Map<String, Integer> highest = new HashMap<>();
            for (InMemoryEgress.Record r : records) {
                String[] kv = Types2.string(r).split("=");
                highest.merge(kv[0], Integer.parseInt(kv[1]), Math::max);
            }
            assertEquals(ADDRESSES, highest.size());
            for (int i = 0; i < ADDRESSES; i++) {
                assertEquals(2 * ROUNDS, highest.get("c" + i), "count of c" + i);
            }
            long deadLettered = stator.counters().stream().mapToLong(c -> c.deadLettered()).sum();
            assertEquals(0, deadLettered);
        }
    }

    @Test
    void messagesFromOneProducerThreadArriveInSendOrder() throws Exception {
        InMemoryEgress egress = new InMemoryEgress();
        TypeName recorder = TypeName.typeNameOf("test", "recorder");
        ValueSpec<Integer> last = ValueSpec.named("last").withIntType();
        StatefulFunction checks = (ctx, msg) -> {
            int seq = msg.asInt();
            int previous = ctx.storage().get(last).orElse(-1);
            if (seq != previous + 1) {
                ctx.send(EgressMessageBuilder.forEgress(VIOLATIONS).withValue(ctx.self() + ": " + seq + " after "
                        + previous).build());
            }
            ctx.storage().set(last, seq);
            ctx.send(EgressMessageBuilder.forEgress(COUNTS).withValue(seq).build());
            return StatefulFunction.DONE;
        };
        try (Stator stator = Stator.builder().partitions(2).maxParallelism(8).ingressQueueCapacity(64).egress(egress)
                .withFunction(StatefulFunctionSpec.builder(recorder).withValueSpec(last).withSupplier(() -> checks).build())
                .start()) {
            int perAddress = 2_000;
            for (int seq = 0; seq < perAddress; seq++) {
                for (int a = 0; a < 20; a++) {
                    stator.send(MessageBuilder.forAddress(recorder, "r" + a).withValue(seq).build());
                }
            }
            egress.await(COUNTS, perAddress * 20, Duration.ofSeconds(60));
            assertEquals(0, egress.count(VIOLATIONS), () -> egress.records(VIOLATIONS).toString());
        }
    }
}
