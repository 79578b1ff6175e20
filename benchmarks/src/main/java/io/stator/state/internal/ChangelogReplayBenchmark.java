package io.stator.state.internal;

import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.state.KeyGroups;
import io.stator.state.RocksDbStateConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A restore's changelog replay, as a restart does it: once, in a fresh JVM (single shot, no warm-up, a fork per
 * measurement). The segments are two of {@code bench W5}'s at a kill: 75,000 counter writes each, one partition's
 * 64 of 128 key groups, ids in no order, onto an empty database. In the state module's package because
 * {@link ChangelogReplay} is internal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 10, jvmArgsAppend = "-Xmx512m")
public class ChangelogReplayBenchmark {
    private static final int SEGMENTS = 2;
    private static final int WRITES_PER_SEGMENT = 75_000;

    private Path dir;
    private Path folder;
    private RocksDbResources resources;

    @Setup(Level.Iteration)
    public void writeSegments() throws IOException {
        dir = Files.createTempDirectory("stator-replay-bench-");
        folder = dir.resolve("partition-0");
        Files.createDirectories(folder);
        resources = new RocksDbResources(16L << 20, 16L << 20);
        TypeName counter = TypeName.typeNameOf("bench", "counter");
        StateKeyBuffer key = new StateKeyBuffer();
        Random random = new Random(5);
        for (int s = 1; s <= SEGMENTS; s++) {
            ChangelogWriter segment = ChangelogWriter.create(folder.resolve(ChangelogReplay.fileName(s, 0)),
                    RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES, RocksDbStateConfig.MAX_CHANGELOG_PART_BYTES);
            int written = 0;
            while (written < WRITES_PER_SEGMENT) {
                Address address = new Address(counter, "k" + random.nextInt(1_000_000));
                int keyGroup = KeyGroups.keyGroupFor(address, 128);
                if (keyGroup >= 64) {
                    continue; // the other partition's
                }
                key.encode(keyGroup, address, "count");
                ByteBuffer value = ByteBuffer.allocate(16);
                StateValueDescriptor.writeHeader(value, 1, StateValueDescriptor.NO_EXPIRY);
                value.put(Types.longType().serialize((long) s)).flip();
                segment.put(ByteBuffer.wrap(key.copy()), value);
                written++;
            }
            segment.finish();
        }
    }

    @Benchmark
    public long replay() throws Exception {
        return ChangelogReplay.applyAll(folder, resources, "benchmark").records();
    }

    @TearDown(Level.Iteration)
    public void deleteFolder() {
        resources.close();
        FileTrees.deleteQuietly(dir);
    }
}
