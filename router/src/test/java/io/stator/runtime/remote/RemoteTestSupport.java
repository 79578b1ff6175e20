package io.stator.runtime.remote;

import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.state.KeyGroups;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the remote-function tests: aiming addresses at partitions, reading egress records. */
final class RemoteTestSupport {
    private RemoteTestSupport() {
    }

    /**
     * @return the {@code n}-th id of the form {@code prefix + number} whose address of {@code type} lives on
     *     {@code partition} of {@code stator}, so a test can put traffic on the partition it means
     */
    static String idOnPartition(Stator stator, TypeName type, String prefix, int partition, int n) {
        int partitions = stator.config().partitions();
        int maxParallelism = stator.config().maxParallelism();
        int found = 0;
        for (int i = 0; i < 100_000; i++) {
            String id = prefix + i;
            int keyGroup = KeyGroups.keyGroupFor(new Address(type, id), maxParallelism);
            if (KeyGroups.partitionFor(keyGroup, partitions, maxParallelism) == partition && found++ == n) {
                return id;
            }
        }
        throw new IllegalStateException("no id with prefix '" + prefix + "' lands on partition " + partition);
    }

    /** @return the records' values decoded as Stator/StateFun strings, in order */
    static List<String> strings(List<InMemoryEgress.Record> records) {
        return records.stream().map(r -> Types.stringType().deserialize(r.message().rawValue())).toList();
    }

    /** @return the values of {@code egress} decoded as strings that start with {@code prefix}, in order */
    static List<String> stringsStartingWith(InMemoryEgress egress, TypeName egressId, String prefix) {
        return strings(egress.records(egressId)).stream().filter(s -> s.startsWith(prefix)).toList();
    }

    /**
     * Polls {@code condition} every millisecond until it holds.
     *
     * @throws AssertionError naming {@code what} if it still does not hold after {@code timeoutMillis}
     */
    static void awaitCondition(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + timeoutMillis + " ms: " + what);
            }
            Thread.sleep(1);
        }
    }
}
