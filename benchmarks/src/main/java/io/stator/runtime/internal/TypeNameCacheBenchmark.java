package io.stator.runtime.internal;

import io.stator.runtime.JvmFlags;
import io.stator.sdk.TypeName;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding the type names of a cross-partition envelope from the ring (a W3 hop carries a target, a caller and a
 * value type), all seen before: the per-name cost of a cache hit. In the router's package because
 * {@link TypeNameCache} is internal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmFlags.AGRONA)
public class TypeNameCacheBenchmark {
    private static final String[] NAMES = {"bench/counter", "bench/forwarder", "stator.bench/probe-value"};

    private final TypeNameCache cache = new TypeNameCache();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final int[] offsets = new int[NAMES.length];
    private final int[] lengths = new int[NAMES.length];

    public TypeNameCacheBenchmark() {
        int at = 3; // not aligned, as in an envelope
        for (int i = 0; i < NAMES.length; i++) {
            byte[] utf8 = NAMES[i].getBytes(StandardCharsets.UTF_8);
            buffer.putBytes(at, utf8);
            offsets[i] = at;
            lengths[i] = utf8.length;
            at += utf8.length + 5;
        }
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public void decodeThreeNames(Blackhole blackhole) {
        for (int i = 0; i < 3; i++) {
            TypeName name = cache.get(buffer, offsets[i], lengths[i]);
            blackhole.consume(name);
        }
    }
}
