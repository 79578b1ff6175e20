package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.internal.PartitionIdle;
import io.stator.sdk.Address;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who wakes a parked partition: partitions whose idle parks last an hour (every park wakeable) still take a
 * message appended to the ingress log, one another partition sends them, and the completion of an asynchronous
 * call finished on another thread; and snapshots still complete (their barriers wake the partitions). No periodic
 * snapshots: their barriers would wake every partition each interval. Each would otherwise wait an hour; the test's
 * timeout is 60 s.
 */
@Timeout(60)
class PartitionWakeupTest {
    private static final TypeName FIRST = TypeName.typeNameOf("test", "first");
    private static final TypeName SECOND = TypeName.typeNameOf("test", "second");
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final TypeName RAW = TypeName.typeNameOf("test", "raw");

    @TempDir
    Path data;

    @Test
    void parkedPartitionsAreWokenByTheirInput() throws Exception {
        ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch arrived = new CountDownLatch(3);
        String secondId = idOnTheOtherPartitionThan("a");
        StatefulFunctionSpec first = StatefulFunctionSpec.builder(FIRST).withSupplier(() -> (StatefulFunction) (c, m) -> {
            c.send(MessageBuilder.forAddress(SECOND, secondId).withValue("forwarded").build());
            CompletableFuture<Void> later = new CompletableFuture<>(); // completes on another thread
            other.schedule(() -> later.complete(null), 20, TimeUnit.MILLISECONDS);
            return later;
        }).build();
        StatefulFunctionSpec second = StatefulFunctionSpec.builder(SECOND).withSupplier(() -> (StatefulFunction) (c, m) -> {
            arrived.countDown();
            return StatefulFunction.DONE;
        }).build();
        try (StatorNode node = StatorNode.start(Stator.builder().partitions(2).withFunction(first)
                .withFunction(second).snapshotInterval(java.time.Duration.ZERO) // no barriers but on request
                .idleStrategy(() -> new PartitionIdle(HOUR, HOUR, HOUR)), data, "127.0.0.1", 0)) {
            for (int i = 0; i < 3; i++) { // the second and third wait behind the first's asynchronous call
                Address a = new Address(FIRST, "a");
                node.ingressLog().append(KeyGroups.keyGroupFor(a, KeyGroups.DEFAULT_MAX_PARALLELISM), a, RAW,
                        ("m" + i).getBytes(StandardCharsets.UTF_8), null);
            }
            assertTrue(arrived.await(50, TimeUnit.SECONDS), "every message reached the other partition");
            long snapshot = node.stator().snapshotNow().get(30, TimeUnit.SECONDS); // barriers wake the partitions
            assertEquals(snapshot + 1, node.stator().snapshotNow().get(30, TimeUnit.SECONDS).longValue(),
                    "a second snapshot: the first one's state writes were noticed by parked partitions");
        } finally {
            other.shutdownNow();
        }
    }

    private static String idOnTheOtherPartitionThan(String firstId) {
        int p = partitionOf(new Address(FIRST, firstId));
        for (int i = 0; ; i++) {
            String id = "b" + i;
            if (partitionOf(new Address(SECOND, id)) != p) {
                assertNotEquals(p, partitionOf(new Address(SECOND, id)));
                return id;
            }
        }
    }

    private static int partitionOf(Address address) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        return KeyGroups.partitionFor(KeyGroups.keyGroupFor(address, max), 2, max);
    }
}
