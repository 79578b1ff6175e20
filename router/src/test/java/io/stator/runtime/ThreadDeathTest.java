package io.stator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.sdk.EgressMessage;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A partition thread that dies of a JVM error (here its egress flush throws the {@code InternalError} a memory-mapped
 * log gives on a full disk) is reported to {@link StatorConfig#onThreadDeath}, which {@code ./stator run} uses to
 * exit instead of running on with a partition that commits nothing; and closing the runtime then does not wait a
 * minute for a last snapshot that cannot complete.
 */
@Timeout(20)
class ThreadDeathTest {
    private static final TypeName ECHO = TypeName.typeNameOf("test", "echo");
    private static final TypeName OUT = TypeName.typeNameOf("test", "out");

    @Test
    void aPartitionThreadDyingOfAnErrorIsReported() throws Exception {
        InternalError fault = new InternalError("a fault occurred in a recent unsafe memory access operation");
        EgressSink failing = new EgressSink() {
            private boolean emitted;

            @Override
            public void emit(long epoch, EgressMessage message) {
                emitted = true;
            }

            @Override
            public void flush() {
                if (emitted) {
                    throw fault;
                }
            }
        };
        CompletableFuture<String> died = new CompletableFuture<>();
        StatefulFunction echo = (context, message) -> {
            context.send(EgressMessageBuilder.forEgress(OUT).withValue("seen").build());
            return CompletableFuture.completedFuture(null);
        };
        try (Stator stator = Stator.builder().partitions(1).maxParallelism(8).egress(failing)
                .snapshotInterval(java.time.Duration.ZERO)
                .withFunction(StatefulFunctionSpec.builder(ECHO).withSupplier(() -> echo).build())
                .onThreadDeath((thread, error) -> {
                    if (error == fault) {
                        died.complete(thread);
                    } else {
                        died.completeExceptionally(error);
                    }
                })
                .start()) {
            stator.send(MessageBuilder.forAddress(ECHO, "a").withValue("hi").build());
            assertEquals("stator-partition-0", died.get(10, TimeUnit.SECONDS));
        } // and the stop does not wait for a last snapshot that cannot complete (@Timeout)
    }

    /**
     * The JVM delivers a memory-mapped file's fault late, in whatever code runs next: inside a function it must end
     * the partition thread, not count as the function's failure (its message would be dead-lettered, as if it were
     * bad). A function's own stack overflow is its failure.
     */
    @Test
    void aJvmErrorInsideAFunctionEndsThePartitionButAStackOverflowIsTheFunctionsFailure() throws Exception {
        TypeName recursive = TypeName.typeNameOf("test", "recursive");
        InternalError fault = new InternalError("a fault occurred in a recent unsafe memory access operation");
        CompletableFuture<String> died = new CompletableFuture<>();
        InMemoryEgress egress = new InMemoryEgress();
        StatefulFunction faulting = (context, message) -> {
            throw fault;
        };
        StatefulFunction overflowing = (context, message) -> {
            throw new StackOverflowError();
        };
        try (Stator stator = Stator.builder().partitions(1).maxParallelism(8).egress(egress)
                .snapshotInterval(java.time.Duration.ZERO)
                .withFunction(StatefulFunctionSpec.builder(ECHO).withSupplier(() -> faulting).build())
                .withFunction(StatefulFunctionSpec.builder(recursive).withSupplier(() -> overflowing).build())
                .onThreadDeath((thread, error) -> died.complete(thread + ": " + error.getMessage()))
                .start()) {
            stator.send(MessageBuilder.forAddress(recursive, "a").withValue("deep").build());
            assertEquals(1, egress.await(io.stator.runtime.internal.DeadLetters.EGRESS, 1,
                    java.time.Duration.ofSeconds(10)).size(), "the overflow dead-letters its message");
            assertFalse(died.isDone(), "a stack overflow does not end the partition");
            stator.send(MessageBuilder.forAddress(ECHO, "a").withValue("hi").build());
            assertEquals("stator-partition-0: " + fault.getMessage(), died.get(10, TimeUnit.SECONDS));
            assertEquals(1, egress.count(io.stator.runtime.internal.DeadLetters.EGRESS), "not dead-lettered");
        }
    }

    /**
     * A function that asks for more memory than the heap has (a state value of hundreds of MiB, say) used to end the
     * partition: at the restart its message ran again and ended it again, for ever. When the heap has room again
     * after the failed call, the call is at fault: its message is dead-lettered with the reason, its effects are
     * dropped, and the partition goes on.
     */
    @Test
    void aCallThatAsksForMoreMemoryThanTheHeapHasFailsAloneAndThePartitionGoesOn() throws Exception {
        TypeName greedy = TypeName.typeNameOf("test", "greedy");
        io.stator.sdk.ValueSpec<Integer> seen = io.stator.sdk.ValueSpec.named("seen").withIntType();
        CompletableFuture<String> died = new CompletableFuture<>();
        InMemoryEgress egress = new InMemoryEgress();
        StatefulFunction function = (context, message) -> {
            int before = context.storage().get(seen).orElse(0);
            context.storage().set(seen, before + 1);
            if (message.asUtf8String().equals("huge")) {
                long[] tooBig = new long[Integer.MAX_VALUE - 16]; // 16 GiB, in a test JVM of 1 GiB
                context.storage().set(seen, tooBig.length);
            }
            context.send(EgressMessageBuilder.forEgress(OUT).withValue("seen " + before).build());
            return StatefulFunction.DONE;
        };
        try (Stator stator = Stator.builder().partitions(1).maxParallelism(8).egress(egress)
                .snapshotInterval(java.time.Duration.ZERO)
                .withFunction(StatefulFunctionSpec.builder(greedy).withValueSpecs(seen).withSupplier(() -> function)
                        .build())
                .onThreadDeath((thread, error) -> died.complete(thread + ": " + error.getMessage()))
                .start()) {
            stator.send(MessageBuilder.forAddress(greedy, "a").withValue("small").build());
            stator.send(MessageBuilder.forAddress(greedy, "a").withValue("huge").build());
            stator.send(MessageBuilder.forAddress(greedy, "a").withValue("small").build());
            java.util.List<InMemoryEgress.Record> out = egress.await(OUT, 2, java.time.Duration.ofSeconds(10));
            assertEquals(java.util.List.of("seen 0", "seen 1"),
                    out.stream().map(Types2::string).toList(), "the failed call changed nothing");
            java.util.List<InMemoryEgress.Record> dead = egress.await(io.stator.runtime.internal.DeadLetters.EGRESS, 1,
                    java.time.Duration.ofSeconds(10));
            assertEquals(1, dead.size());
            String letter = Types2.string(dead.get(0));
            assertTrue(letter.contains("the call ran out of memory (Java heap space)"), letter);
            assertFalse(died.isDone(), "the partition goes on");
        }
    }

    /** When the heap is still nearly full after the failed call, the runtime is out of memory: the partition ends. */
    @Test
    void anOutOfMemoryErrorWithTheHeapStillFullEndsThePartition() throws Exception {
        CompletableFuture<String> died = new CompletableFuture<>();
        InMemoryEgress egress = new InMemoryEgress();
        StatefulFunction greedy = (context, message) -> {
            long[] tooBig = new long[Integer.MAX_VALUE - 16];
            return tooBig.length > 0 ? StatefulFunction.DONE : null;
        };
        java.util.List<byte[]> ballast = new java.util.ArrayList<>();
        try (Stator stator = Stator.builder().partitions(1).maxParallelism(8).egress(egress)
                .snapshotInterval(java.time.Duration.ZERO)
                .withFunction(StatefulFunctionSpec.builder(ECHO).withSupplier(() -> greedy).build())
                .onThreadDeath((thread, error) -> died.complete(thread + ": " + error.getMessage()))
                .start()) {
            long max = Runtime.getRuntime().maxMemory();
            while (ballast.size() * (8L << 20) < max * 8 / 10) { // 80% of the heap held: less than 25% can be free
                ballast.add(new byte[8 << 20]);
            }
            stator.send(MessageBuilder.forAddress(ECHO, "a").withValue("hi").build());
            assertEquals("stator-partition-0: Java heap space", died.get(10, TimeUnit.SECONDS));
            assertEquals(0, egress.count(io.stator.runtime.internal.DeadLetters.EGRESS), "not dead-lettered");
        } finally {
            ballast.clear();
        }
    }

    /**
     * An exception while a call's effects are applied (here the egress refuses the record, after the call's message
     * to another function was routed) would otherwise make the ingress deliver the message again, and the send
     * would happen twice. The partition stops instead.
     */
    @Test
    void anExceptionWhileEffectsAreAppliedStopsThePartitionInsteadOfRunningTheMessageAgain() throws Exception {
        TypeName counter = TypeName.typeNameOf("test", "counter");
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger counted = new java.util.concurrent.atomic.AtomicInteger();
        EgressSink refusing = new EgressSink() {
            @Override
            public void emit(long epoch, EgressMessage message) {
                throw new IllegalStateException("cannot open the egress log");
            }
        };
        StatefulFunction sending = (context, message) -> {
            calls.incrementAndGet();
            context.send(MessageBuilder.forAddress(counter, "c").withValue("one").build());
            context.send(EgressMessageBuilder.forEgress(OUT).withValue("seen").build());
            return CompletableFuture.completedFuture(null);
        };
        StatefulFunction counting = (context, message) -> {
            counted.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        };
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        try (Stator stator = Stator.builder().partitions(1).maxParallelism(8).egress(refusing)
                .snapshotInterval(java.time.Duration.ZERO)
                .withFunction(StatefulFunctionSpec.builder(ECHO).withSupplier(() -> sending).build())
                .withFunction(StatefulFunctionSpec.builder(counter).withSupplier(() -> counting).build())
                .onThreadDeath((thread, error) -> died.complete(error))
                .start()) {
            stator.send(MessageBuilder.forAddress(ECHO, "a").withValue("hi").build());
            Throwable error = died.get(10, TimeUnit.SECONDS);
            assertEquals("cannot open the egress log", error.getCause().getMessage());
            assertEquals(1, calls.get(), "the message did not run again");
            assertTrue(counted.get() <= 1, "its send was not routed twice");
        }
    }
}
