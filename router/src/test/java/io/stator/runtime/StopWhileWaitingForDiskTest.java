package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.Address;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import io.stator.state.InMemoryStateBackend;
import io.stator.state.KeyGroupRange;
import io.stator.state.KeyedStateStore;
import io.stator.state.StateBackend;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stop while a partition waits for its state store to accept writes (RocksDB on a full disk) does not wait for a
 * drain and a last snapshot that cannot come while the disk stays full (10 + 10 + 60 s before): the store is
 * abandoned, the waiting put returns, and the next start resumes from the last completed snapshot.
 *
 * <p>The full disk is faked here, by a store whose puts wait until it is abandoned: CI cannot fill a disk.
 * {@code RefusedStateWriteTest} covers the RocksDB store's side with RocksDB's own error.
 */
@Timeout(60)
class StopWhileWaitingForDiskTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("test", "counter");
    private static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();

    @Test
    void aStopDoesNotWaitForAPartitionThatWaitsForTheDisk() throws Exception {
        FullDiskBackend backend = new FullDiskBackend();
        StatefulFunction counting = (context, message) -> {
            context.storage().set(SEEN, context.storage().get(SEEN).orElse(0) + 1);
            return StatefulFunction.DONE;
        };
        Stator stator = Stator.builder().partitions(1).maxParallelism(8).stateBackend(backend)
                .snapshotInterval(Duration.ofMillis(200))
                .withFunction(StatefulFunctionSpec.builder(COUNTER).withValueSpec(SEEN).withSupplier(() -> counting)
                        .build())
                .start();
        stator.send(MessageBuilder.forAddress(COUNTER, "a").withValue(1).build());
        assertTrue(backend.waiting.await(10, TimeUnit.SECONDS), "the function's put waits for the disk");

        long start = System.nanoTime();
        stator.close();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(backend.abandoned, "the store was told that nothing more need be written");
        assertTrue(tookMillis < 20_000, "the stop took " + tookMillis + " ms");
    }

    /** Keeps state in memory, but every put waits (as for a full disk) until the store is abandoned. */
    private static final class FullDiskBackend implements StateBackend {
        private final InMemoryStateBackend memory = new InMemoryStateBackend();
        final CountDownLatch waiting = new CountDownLatch(1);
        volatile boolean abandoned;

        @Override
        public KeyedStateStore openPartition(int partition, KeyGroupRange keyGroups) {
            KeyedStateStore store = memory.openPartition(partition, keyGroups);
            return new KeyedStateStore() {
                private volatile boolean waitingNow;

                @Override
                public byte[] get(int keyGroup, Address address, ValueSpec<?> spec, long nowMillis) {
                    return store.get(keyGroup, address, spec, nowMillis);
                }

                @Override
                public void put(int keyGroup, Address address, ValueSpec<?> spec, byte[] value, long nowMillis) {
                    waitingNow = true;
                    waiting.countDown();
                    while (!abandoned) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    waitingNow = false;
                    store.put(keyGroup, address, spec, value, nowMillis);
                }

                @Override
                public void delete(int keyGroup, Address address, ValueSpec<?> spec) {
                    store.delete(keyGroup, address, spec);
                }

                @Override
                public void flush() {
                    store.flush();
                }

                @Override
                public boolean waitingForWrites() {
                    return waitingNow;
                }

                @Override
                public void abandon() {
                    abandoned = true;
                }

                @Override
                public void close() {
                    store.close();
                }
            };
        }

        @Override
        public void close() {
            memory.close();
        }
    }
}
