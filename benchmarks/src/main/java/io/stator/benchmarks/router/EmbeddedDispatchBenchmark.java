package io.stator.benchmarks.router;

import io.stator.runtime.EgressSink;
import io.stator.runtime.JvmFlags;
import io.stator.runtime.Stator;
import io.stator.runtime.ThreadingMode;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.ValueSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An embedded dispatch: a message taken from a partition's ingress, the counter function called with its state
 * loaded, the new count written back and emitted to an egress. One partition, stepped on the benchmark thread
 * (INVOKER mode), in-memory state, an egress that drops records: the runtime's own per-message cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmFlags.AGRONA)
public class EmbeddedDispatchBenchmark {
    static final int BATCH = 1000;
    static final int KEYS = 10_000;
    static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    static final TypeName COUNTS = TypeName.typeNameOf("bench", "counts");
    static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();

    private Stator stator;
    private Message[] messages;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        StatefulFunction counter = (ctx, msg) -> {
            long count = ctx.storage().get(COUNT).orElse(0L) + 1;
            ctx.storage().set(COUNT, count);
            ctx.send(EgressMessageBuilder.forEgress(COUNTS).withValue(count).build());
            return StatefulFunction.DONE;
        };
        EgressSink discard = (long epoch, EgressMessage m) -> { };
        stator = Stator.builder()
                .partitions(1)
                .threadingMode(ThreadingMode.INVOKER)
                .ingressQueueCapacity(2 * BATCH)
                .egress(discard)
                .withFunction(StatefulFunctionSpec.builder(COUNTER).withValueSpec(COUNT).withSupplier(() -> counter).build())
                .start();
        messages = new Message[KEYS];
        for (int i = 0; i < KEYS; i++) {
            messages[i] = MessageBuilder.forAddress(COUNTER, "key-" + i).withValue(1L).build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stator.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void dispatchCounterMessage() {
        for (int i = 0; i < BATCH; i++) {
            stator.trySend(messages[next]);
            next = next + 1 == KEYS ? 0 : next + 1;
        }
        stator.runUntilIdle();
    }
}
