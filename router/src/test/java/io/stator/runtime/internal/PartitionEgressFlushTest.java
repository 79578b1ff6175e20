package io.stator.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stator.runtime.Clock;
import io.stator.runtime.EgressSink;
import io.stator.sdk.Address;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.EgressMessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.state.InMemoryStateBackend;
import io.stator.state.KeyGroups;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A partition flushes its buffered egress records at the end of every duty cycle and before it reports a snapshot:
 * the report may let the coordinator commit the records' epoch at once, and a record must be in the log first.
 */
@Timeout(30)
class PartitionEgressFlushTest {
    private static final int MAX_PARALLELISM = 8;
    private static final TypeName ASYNC = TypeName.typeNameOf("test", "async");
    private static final TypeName OUT = TypeName.typeNameOf("test", "out");

    /** Counts the records emitted since the last flush, as a buffering sink would hold them. */
    private static final class BufferCountingSink implements EgressSink {
        int buffered;
        /** Flushes still to fail, keeping their records, as a full disk would. */
        int failures;
        final List<Long> flushedEpochs = new ArrayList<>();
        private final List<Long> pending = new ArrayList<>();

        @Override
        public void emit(long epoch, EgressMessage message) {
            buffered++;
            pending.add(epoch);
        }

        @Override
        public void flush() {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("disk full (simulated)");
            }
            buffered = 0;
            flushedEpochs.addAll(pending);
            pending.clear();
        }
    }

    private final BufferCountingSink sink = new BufferCountingSink();
    /** How many records the sink still buffered at each snapshot report. */
    private final List<Integer> bufferedAtReport = new ArrayList<>();
    private final ManyToOneRingBuffer inbox = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final QueueIngress ingress = new QueueIngress(16);

    /** One partition owning every key group, running {@code function} as {@code ASYNC}. */
    private Partition partitionRunning(StatefulFunction function) {
        return new Partition(0, MAX_PARALLELISM, new ManyToOneRingBuffer[] {inbox}, new LargeMessages(1), ingress,
                new InMemoryStateBackend().openPartition(0, KeyGroups.rangeFor(0, 1, MAX_PARALLELISM)), sink,
                Clock.SYSTEM, Map.of(ASYNC, StatefulFunctionSpec.builder(ASYNC).withSupplier(() -> function).build()),
                0, (snapshot, upload, pauseNanos) -> bufferedAtReport.add(sink.buffered), false, null);
    }

    private void offerIngress() {
        Address target = new Address(ASYNC, "a");
        ingress.offer(new Envelope(KeyGroups.keyGroupFor(target, MAX_PARALLELISM), target, null,
                Types.STRING_TYPENAME, Types.stringType().serialize("go")));
    }

    private void offerBarrier(long snapshotId) {
        int barrier = inbox.tryClaim(EnvelopeDescriptor.MSG_TYPE_BARRIER, EnvelopeDescriptor.BARRIER_LENGTH);
        inbox.buffer().putLong(barrier, snapshotId, ByteOrder.LITTLE_ENDIAN);
        inbox.commit(barrier);
    }

    @Test
    void recordsBufferedWhenASnapshotIsReportedAreFlushedFirst() {
        CompletableFuture<Void> call = new CompletableFuture<>();
        Partition partition = partitionRunning((ctx, msg) -> {
            ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("done").build());
            return call; // its effects, the egress record included, are applied when it completes
        });
        try {
            offerIngress();
            partition.doWork(); // the call starts and stays unfinished
            assertEquals(List.of(), sink.flushedEpochs);

            call.complete(null);
            offerBarrier(1);
            // One cycle: the completion emits the record in epoch 0, then the barrier starts snapshot 1, which this
            // only partition reports at once.
            partition.doWork();
            assertEquals(List.of(0), bufferedAtReport, "nothing was buffered any more when the snapshot was reported");
            assertEquals(List.of(0L), sink.flushedEpochs);
        } finally {
            partition.close();
        }
    }

    @Test
    void aSnapshotIsNotReportedWhileItsRecordsCannotBeWritten() {
        Partition partition = partitionRunning((ctx, msg) -> {
            ctx.send(EgressMessageBuilder.forEgress(OUT).withValue("done").build());
            return CompletableFuture.completedFuture(null);
        });
        try {
            offerIngress();
            offerBarrier(1);
            sink.failures = 2;

            // The barrier comes first in the cycle, then the ingress message emits a record of epoch 1; the flush
            // fails twice, and the snapshot's report waits.
            assertThrows(IllegalStateException.class, partition::doWork);
            assertThrows(IllegalStateException.class, partition::doWork);
            assertEquals(List.of(), bufferedAtReport, "no report while the records are not written");
            assertEquals(1, sink.buffered, "the record is kept, not dropped");

            partition.doWork();
            assertEquals(List.of(0), bufferedAtReport, "reported once the flush worked");
            assertEquals(List.of(1L), sink.flushedEpochs);
        } finally {
            partition.close();
        }
    }
}
