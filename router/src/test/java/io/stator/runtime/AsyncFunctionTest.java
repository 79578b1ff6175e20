package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An asynchronous function parks its address: later messages wait and run in order, one call at a time. */
@Timeout(60)
class AsyncFunctionTest {
    static final TypeName SLOW = TypeName.typeNameOf("test", "slow");
    static final TypeName OUT = TypeName.typeNameOf("test", "out");
    static final TypeName OVERLAP = TypeName.typeNameOf("test", "overlap");
    static final ValueSpec<Integer> CALLS = ValueSpec.named("calls").withIntType();

    @Test
    void anAsyncAddressProcessesItsMessagesInOrderOneAtATime() throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);
        Set<String> running = ConcurrentHashMap.newKeySet();
        StatefulFunction slow = (ctx, msg) -> {
            String self = ctx.self().id();
            if (!running.add(self)) {
                ctx.send(EgressMessageBuilder.forEgress(OVERLAP).withValue(self).build());
            }
            int seq = msg.asInt();
            int calls = ctx.storage().get(CALLS).orElse(0);
            CompletableFuture<Void> done = new CompletableFuture<>();
            pool.schedule(() -> {
                // effects made on another thread, after the call returned: applied when the future completes
                ctx.storage().set(CALLS, calls + 1);
                ctx.send(EgressMessageBuilder.forEgress(OUT).withValue(self + ":" + seq + ":" + (calls + 1)).build());
                running.remove(self);
                done.complete(null);
            }, ThreadLocalRandom.current().nextInt(0, 300), TimeUnit.MICROSECONDS);
            return done;
        };
        InMemoryEgress egress = new InMemoryEgress();
        int addresses = 8;
        int perAddress = 200;
        try (Stator stator = Stator.builder().partitions(2).maxParallelism(8).egress(egress)
                .withFunction(StatefulFunctionSpec.builder(SLOW).withValueSpec(CALLS).withSupplier(() -> slow).build())
                .start()) {
            for (int seq = 0; seq < perAddress; seq++) {
                for (int a = 0; a < addresses; a++) {
                    stator.send(MessageBuilder.forAddress(SLOW, "a" + a).withValue(seq).build());
                }
            }
            var records = egress.await(OUT, addresses * perAddress, Duration.ofSeconds(50));
            assertEquals(0, egress.count(OVERLAP), "two calls ran at the same address at once");
            Map<String, List<Integer>> seqs = new HashMap<>();
            for (InMemoryEgress.Record r : records) {
                String[] parts = Types2.string(r).split(":");
                seqs.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                int seq = Integer.parseInt(parts[1]);
                assertEquals(seq + 1, Integer.parseInt(parts[2]), "state written asynchronously is seen by the next call");
            }
            for (int a = 0; a < addresses; a++) {
                List<Integer> expected = new ArrayList<>();
                for (int s = 0; s < perAddress; s++) {
                    expected.add(s);
                }
                assertEquals(expected, seqs.get("a" + a), "order at a" + a);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
