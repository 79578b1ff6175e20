package io.stator.runtime;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;

/** Finds addresses that live on a chosen partition, so tests can aim traffic across partitions. */
final class Addresses {
    private Addresses() {
    }

    /** @return the {@code n}-th id (prefix + number) of {@code type} that lands on {@code partition} */
    static String idOnPartition(TypeName type, String prefix, int n, int partition, int partitions, int maxParallelism) {
        int found = 0;
        for (int i = 0; i < 10_000_000; i++) {
            String id = prefix + i;
            int kg = KeyGroups.keyGroupFor(new Address(type, id), maxParallelism);
            if (KeyGroups.partitionFor(kg, partitions, maxParallelism) == partition && found++ == n) {
                return id;
            }
        }
        throw new IllegalStateException("no id found");
    }
}
