package io.stator.state.internal;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sorting one partition's frozen entries into RocksDB's key order, the first step of a snapshot's SST file: the
 * dirty counters of {@code bench W1 keys=1000000} at a snapshot (ids {@code "k" + n} drawn at random, one
 * partition's 64 of 128 key groups). In the state module's package because {@link FrozenEntries} is internal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrozenEntriesSortBenchmark {
    @Param({"5000", "100000"})
    int entries;

    private FrozenEntries frozen;

    @Setup
    public void setUp() {
        TypeName counter = TypeName.typeNameOf("bench", "counter");
        StateKeyBuffer key = new StateKeyBuffer();
        Random random = new Random(1);
        Set<Integer> used = new HashSet<>();
        CacheEntry head = null;
        while (used.size() < entries) {
            int n = random.nextInt(1_000_000);
            Address address = new Address(counter, "k" + n);
            int keyGroup = KeyGroups.keyGroupFor(address, 128);
            if (keyGroup >= 64 || !used.add(n)) {
                continue; // the other partition's, or already dirty
            }
            key.encode(keyGroup, address, "count");
            CacheEntry e = new CacheEntry(key.copy(), key.hash());
            e.dirtyNext = head;
            head = e;
        }
        frozen = new FrozenEntries(head, entries);
    }

    @Benchmark
    public CacheEntry[] sortedByKey() {
        return frozen.sortedByKey();
    }
}
