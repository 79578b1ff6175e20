package io.stator.benchmarks.state;

import io.stator.runtime.JvmFlags;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import io.stator.state.KeyGroupRange;
import io.stator.state.KeyGroups;
import io.stator.state.LocalFolderSnapshotStore;
import io.stator.state.RocksDbStateBackend;
import io.stator.state.SnapshotResult;
import io.stator.state.SnapshottableStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The RocksDB state store's hot paths, one partition owning every key group:
 *
 * <ul>
 *   <li>{@code cacheHitGet} / {@code cacheHitPut}: 16,384 counters, all in the write-back cache;</li>
 *   <li>{@code cacheHitGetThenPut}: the same counters read then written back, as an embedded function's
 *       invocation does;</li>
 *   <li>{@code cacheMissGet}: 200,000 counters in RocksDB read in turn through a 1,024-entry cache, so every read
 *       goes to RocksDB (and inserts into the cache, evicting a clean entry);</li>
 *   <li>{@code flushTenThousandDirty}: one {@code flush()} writing 10,000 dirty entries in one {@code WriteBatch}.</li>
 *   <li>{@code snapshotFiveThousandDirty}: one snapshot, from the freeze until the upload's future completes, of a
 *       store with 5,000 dirty entries among 10,000 counters (a partition's share of W4 at 40,000 msgs/s) into a
 *       local-folder snapshot store; the time a snapshot adds to the exactly-once commit.</li>
 * </ul>
 *
 * Keys are {@code bench/counter/user-<i>}, state {@code count}, values 9-byte long wrappers: a counter workload.
 */
@Fork(value = 1, jvmArgsAppend = JvmFlags.AGRONA)
public class StateBenchmarks {
    private static final int MAX_PARALLELISM = KeyGroups.DEFAULT_MAX_PARALLELISM;
    private static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    private static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();

    /** A temporary data folder, a backend, one store and a set of counters. */
    public abstract static class StoreState {
        Path dir;
        RocksDbStateBackend backend;
        SnapshottableStateStore store;
        Address[] addresses;
        int[] keyGroups;
        byte[] value = Types.longType().serialize(42L);
        int next;

        void open(int counters, int cacheMaxEntries) throws IOException {
            dir = Files.createTempDirectory("stator-state-bench");
            addresses = new Address[counters];
            keyGroups = new int[counters];
            for (int i = 0; i < counters; i++) {
                addresses[i] = new Address(COUNTER, "user-" + i);
                keyGroups[i] = KeyGroups.keyGroupFor(addresses[i], MAX_PARALLELISM);
            }
            backend = builder(cacheMaxEntries).build();
            store = backend.openPartition(0, new KeyGroupRange(0, MAX_PARALLELISM - 1));
        }

        RocksDbStateBackend.Builder builder(int cacheMaxEntries) {
            return RocksDbStateBackend.builder().dataDir(dir).cacheMaxEntries(cacheMaxEntries);
        }

        void putAll() {
            for (int i = 0; i < addresses.length; i++) {
                store.put(keyGroups[i], addresses[i], COUNT, Types.longType().serialize((long) i), 0);
            }
            store.flush();
        }

        /** Closes and reopens the store: the cache starts empty and every value is in RocksDB. */
        void reopen(int cacheMaxEntries) {
            store.close();
            backend.close();
            backend = builder(cacheMaxEntries).build();
            store = backend.openPartition(0, new KeyGroupRange(0, MAX_PARALLELISM - 1));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            backend.close();
            io.stator.runtime.Folders.deleteQuietly(dir);
        }
    }

    /** 16,384 counters, all cached. */
    @State(Scope.Thread)
    public static class CachedCounters extends StoreState {
        static final int COUNTERS = 1 << 14;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open(COUNTERS, 100_000);
            putAll();
        }
    }

    /** 200,000 counters in RocksDB, read through a cache far too small to hold them. */
    @State(Scope.Thread)
    public static class UncachedCounters extends StoreState {
        static final int COUNTERS = 200_000;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open(COUNTERS, 100_000);
            putAll();
            reopen(1_024);
        }
    }

    /** 10,000 cached counters, all made dirty before each flush. */
    @State(Scope.Thread)
    public static class DirtyCounters extends StoreState {
        static final int COUNTERS = 10_000;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open(COUNTERS, 100_000);
            putAll();
        }

        @Setup(Level.Invocation)
        public void dirtyAll() {
            for (int i = 0; i < COUNTERS; i++) {
                store.put(keyGroups[i], addresses[i], COUNT, value, 0);
            }
        }
    }

    /** 10,000 cached counters with snapshots to a local folder; every other one is made dirty before each snapshot. */
    @State(Scope.Thread)
    public static class SnapshottedCounters extends StoreState {
        static final int COUNTERS = 10_000;
        long snapshotId;

        @Override
        RocksDbStateBackend.Builder builder(int cacheMaxEntries) {
            return super.builder(cacheMaxEntries).snapshotStore(new LocalFolderSnapshotStore(dir.resolve("snapshots")));
        }

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open(COUNTERS, 100_000);
            putAll();
        }

        @Setup(Level.Invocation)
        public void dirtyHalf() {
            for (int i = snapshotId % 2 == 0 ? 0 : 1; i < COUNTERS; i += 2) {
                store.put(keyGroups[i], addresses[i], COUNT, Types.longType().serialize(snapshotId), 0);
            }
        }
    }

    /** A read answered by the write-back cache. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] cacheHitGet(CachedCounters s) {
        int i = s.next++ & (CachedCounters.COUNTERS - 1);
        return s.store.get(s.keyGroups[i], s.addresses[i], COUNT, 0);
    }

    /** A write to a cached entry: it only becomes dirty. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void cacheHitPut(CachedCounters s) {
        int i = s.next++ & (CachedCounters.COUNTERS - 1);
        s.store.put(s.keyGroups[i], s.addresses[i], COUNT, s.value, 0);
    }

    /** A read then a write of the same cached counter, through the same Address and ValueSpec instances. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void cacheHitGetThenPut(CachedCounters s) {
        int i = s.next++ & (CachedCounters.COUNTERS - 1);
        s.store.get(s.keyGroups[i], s.addresses[i], COUNT, 0);
        s.store.put(s.keyGroups[i], s.addresses[i], COUNT, s.value, 0);
    }

    /** A read of a value that is in RocksDB but not in the cache. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] cacheMissGet(UncachedCounters s) {
        int i = s.next++;
        if (s.next == UncachedCounters.COUNTERS) {
            s.next = 0;
        }
        return s.store.get(s.keyGroups[i], s.addresses[i], COUNT, 0);
    }

    /** One flush of 10,000 dirty entries in one WriteBatch. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void flushTenThousandDirty(DirtyCounters s) {
        s.store.flush();
    }

    /** One snapshot of 5,000 dirty entries, until its upload to the snapshot store completed. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public SnapshotResult snapshotFiveThousandDirty(SnapshottedCounters s) {
        return s.store.snapshot(++s.snapshotId).completion().join();
    }
}
