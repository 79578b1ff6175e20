package io.stator.benchmarks.remote;

import io.stator.runtime.JvmFlags;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stator.remote.protocol.Address;
import io.stator.remote.protocol.ToFunction;
import io.stator.remote.protocol.ToFunction.InvocationBatchRequest;
import io.stator.remote.protocol.ToFunction.PersistedValue;
import io.stator.remote.protocol.TypedValue;
import io.stator.remote.server.FunctionRequestHandler;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * The cost of StateFun's request-reply wire format for one full batch: 100 invocations (string arguments, half
 * with a caller) to one address carrying two states, as the runtime sends it when a busy address's backlog
 * goes out. Measures building and serializing the {@code ToFunction}, parsing it back, and the server side
 * handling it end to end (parse, run a counting function 100 times, encode the reply). {@link #serveEgressBatch}
 * serves W2's shape instead: no callers, one long state, and an egress record per invocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmFlags.AGRONA)
public class ProtocolBenchmarks {
    private static final int BATCH_SIZE = 100;
    private static final TypeName COUNTER = TypeName.typeNameOf("bench", "counter");
    private static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();
    private static final ValueSpec<String> LAST = ValueSpec.named("last").withUtf8StringType();
    private static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();
    private static final TypeName RESULTS = TypeName.typeNameOf("bench", "results");

    private Address target;
    private Address caller;
    private TypedValue[] arguments;
    private TypedValue seenValue;
    private byte[] encoded;
    private FunctionRequestHandler handler;
    private byte[] egressBatch;
    private FunctionRequestHandler egressHandler;

    @Setup
    public void setUp() {
        target = Address.newBuilder().setNamespace("bench").setType("counter").setId("address-42").build();
        caller = Address.newBuilder().setNamespace("bench").setType("producer").setId("p-7").build();
        arguments = new TypedValue[BATCH_SIZE];
        for (int i = 0; i < BATCH_SIZE; i++) {
            arguments[i] = TypedValue.newBuilder().setTypename(Types.STRING_TYPENAME.asString()).setHasValue(true)
                    .setValue(ByteString.copyFrom(Types.stringType().serialize("order-" + i + "-payload-0123456789")))
                    .build();
        }
        seenValue = TypedValue.newBuilder().setTypename(Types.INT_TYPENAME.asString()).setHasValue(true)
                .setValue(ByteString.copyFrom(Types.intType().serialize(12345))).build();
        encoded = encodeBatch();
        handler = new FunctionRequestHandler(List.of(StatefulFunctionSpec.builder(COUNTER)
                .withValueSpecs(SEEN, LAST)
                .withSupplier(() -> (context, message) -> {
                    context.storage().set(SEEN, context.storage().get(SEEN).orElse(0) + 1);
                    context.storage().set(LAST, message.asUtf8String());
                    return null;
                })
                .build()));
        egressBatch = encodeEgressBatch();
        egressHandler = new FunctionRequestHandler(List.of(StatefulFunctionSpec.builder(COUNTER)
                .withValueSpec(COUNT)
                .withSupplier(() -> (context, message) -> {
                    long count = context.storage().get(COUNT).orElse(0L) + 1;
                    context.storage().set(COUNT, count);
                    context.send(EgressMessageBuilder.forEgress(RESULTS)
                            .withTypedValue(message.valueTypeName(), message.rawValue()).build());
                    return null;
                })
                .build()));
    }

    /** W2's request: 100 invocations of 24-byte values without caller, and the long counter's state. */
    private byte[] encodeEgressBatch() {
        InvocationBatchRequest.Builder batch = InvocationBatchRequest.newBuilder()
                .setTarget(target)
                .addState(PersistedValue.newBuilder().setStateName(COUNT.name()).setStateValue(TypedValue.newBuilder()
                        .setTypename(Types.LONG_TYPENAME.asString()).setHasValue(true)
                        .setValue(ByteString.copyFrom(Types.longType().serialize(41L)))));
        for (int i = 0; i < BATCH_SIZE; i++) {
            batch.addInvocations(ToFunction.Invocation.newBuilder().setArgument(TypedValue.newBuilder()
                    .setTypename("bench/probe").setHasValue(true).setValue(ByteString.copyFrom(new byte[24]))));
        }
        return ToFunction.newBuilder().setInvocation(batch).build().toByteArray();
    }

    /** Builds and serializes a 100-invocation request, as the runtime does for each batch. */
    @Benchmark
    public byte[] encodeBatch() {
        InvocationBatchRequest.Builder batch = InvocationBatchRequest.newBuilder()
                .setTarget(target)
                .addState(PersistedValue.newBuilder().setStateName("seen").setStateValue(seenValue))
                .addState(PersistedValue.newBuilder().setStateName("last"));
        for (int i = 0; i < BATCH_SIZE; i++) {
            ToFunction.Invocation.Builder invocation = ToFunction.Invocation.newBuilder().setArgument(arguments[i]);
            if ((i & 1) == 0) {
                invocation.setCaller(caller);
            }
            batch.addInvocations(invocation);
        }
        return ToFunction.newBuilder().setInvocation(batch).build().toByteArray();
    }

    /** Parses a 100-invocation request, as a function's SDK does first. */
    @Benchmark
    public ToFunction decodeBatch() throws InvalidProtocolBufferException {
        return ToFunction.parseFrom(encoded);
    }

    /** Serves a 100-invocation request end to end on the calling thread (no HTTP). */
    @Benchmark
    public byte[] serveBatch() {
        return handler.handle(encoded).join();
    }

    /** Serves W2's 100-invocation request (a counter emitting one egress record per invocation), no HTTP. */
    @Benchmark
    public byte[] serveEgressBatch() {
        return egressHandler.handle(egressBatch).join();
    }
}
