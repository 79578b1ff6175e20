package io.stator.state.internal;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.state.KeyGroups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a snapshot's writer does with one partition's frozen entries before RocksDB: read each for the changelog,
 * then sort them for the SST file. The dirty list links {@code entries} counters of {@code bench W1 keys=1000000}
 * in an order unrelated to where they lie in memory (as updates at random keys leave it), with 300k other live
 * entries between them, so each step along the list is as likely a cache miss as in the runtime. In the state
 * module's package because {@link FrozenEntries} is internal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class FrozenEntriesWalkBenchmark {
    @Param({"100000"})
    int entries;

    private final List<CacheEntry> dirty = new ArrayList<>();
    /** Keeps the other entries alive, between the dirty ones in memory. */
    private final List<CacheEntry> others = new ArrayList<>();
    private FrozenEntries frozen;

    @Setup(Level.Trial)
    public void allocate() {
        TypeName counter = TypeName.typeNameOf("bench", "counter");
        StateKeyBuffer key = new StateKeyBuffer();
        Random random = new Random(1);
        Set<Integer> used = new HashSet<>();
        while (dirty.size() < entries) {
            int n = random.nextInt(1_000_000);
            Address address = new Address(counter, "k" + n);
            int keyGroup = KeyGroups.keyGroupFor(address, 128);
            if (keyGroup >= 64 || !used.add(n)) {
                continue;
            }
            key.encode(keyGroup, address, "count");
            CacheEntry e = new CacheEntry(key.copy(), key.hash());
            e.value = new byte[8];
            dirty.add(e);
            for (int i = 0; i < 3; i++) {
                key.encode(keyGroup, new Address(counter, "x" + n + "-" + i), "count");
                others.add(new CacheEntry(key.copy(), key.hash()));
            }
        }
        Collections.shuffle(dirty, random);
    }

    /** Links the dirty list again: the writer's walk unlinks it. */
    @Setup(Level.Invocation)
    public void link() {
        CacheEntry head = null;
        for (CacheEntry e : dirty) {
            e.dirtyPrev = null;
            e.dirtyNext = head;
            if (head != null) {
                head.dirtyPrev = e;
            }
            head = e;
        }
        frozen = new FrozenEntries(head, entries);
    }

    /** The changelog's pass over the entries, then the sort for the SST file (and, before session 12, the unlink). */
    @Benchmark
    public void writerPasses(Blackhole blackhole) {
        frozen.forEach(e -> blackhole.consume(e.value.length + e.key.length));
        blackhole.consume(frozen.sortedByKey());
    }
}
