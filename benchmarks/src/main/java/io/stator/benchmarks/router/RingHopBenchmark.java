package io.stator.benchmarks.router;

import io.stator.runtime.JvmFlags;
import io.stator.runtime.internal.Envelope;
import io.stator.runtime.internal.EnvelopeCodec;
import io.stator.runtime.internal.EnvelopeDescriptor;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One hop between partitions on one thread: encode an envelope into a partition's inbox ring, read it back and
 * decode it. This is the per-message cost a cross-partition send adds, without thread hand-off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmFlags.AGRONA)
public class RingHopBenchmark {
    private ManyToOneRingBuffer ring;
    private final EnvelopeCodec writer = new EnvelopeCodec();
    private final EnvelopeCodec reader = new EnvelopeCodec();
    private Envelope envelope;
    private Blackhole sink;
    private final MessageHandler handler = (type, buffer, index, length) -> sink.consume(reader.decode(buffer, index));

    @Setup
    public void setUp() {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        TypeName counter = TypeName.typeNameOf("bench", "counter");
        envelope = new Envelope(17, new Address(counter, "key-4711"), new Address(counter, "key-42"),
                Types.LONG_TYPENAME, Types.longType().serialize(123_456L));
    }

    @Benchmark
    public void encodeWriteReadDecode(Blackhole bh) {
        sink = bh;
        int length = writer.encodedLength(envelope);
        int index = ring.tryClaim(EnvelopeDescriptor.MSG_TYPE_MESSAGE, length);
        writer.encode(envelope, 1L, ring.buffer(), index);
        ring.commit(index);
        ring.read(handler, 1);
    }
}
