package io.stator.runtime;

import io.stator.egress.EgressBatch;
import io.stator.egress.EgressLog;
import io.stator.egress.EgressLogs;
import io.stator.sdk.EgressMessage;
import io.stator.sdk.TypeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Egress records into durable egress logs (one Chronicle Queue per egress), stamped with their epoch; a commit
 * marks the epoch committed in every open log so read-committed readers see its records.
 *
 * <p>Each partition (through its {@link #forPartition} view; any other caller per thread) collects its records in
 * one {@link EgressBatch} per egress and writes them on {@link #flush()}, once per duty cycle: the two partitions
 * then contend for an egress log's locks once per batch instead of once per record.
 */
public final class EgressLogSink implements EgressSink {
    private final EgressLogs logs;
    private final ThreadLocal<ThreadBatches> batches = ThreadLocal.withInitial(ThreadBatches::new);

    /** @param logs the egress logs; closed with this sink */
    public EgressLogSink(EgressLogs logs) {
        this.logs = logs;
    }

    @Override
    public void emit(long epoch, EgressMessage message) {
        batches.get().emit(epoch, message);
    }

    @Override
    public void flush() {
        batches.get().flush();
    }

    @Override
    public String refusal(EgressMessage message) {
        String tooLarge = EgressBatch.refusal(message.egressId(), message.valueTypeName(), message.rawValue());
        return tooLarge != null ? tooLarge : logs.refusal(message.egressId());
    }

    /**
     * @return the partition's own batches: its thread emits without a {@code ThreadLocal} lookup per record (~3% of
     *     a partition's samples in a warm W1 profile, benchmarks/RESULTS.md "Session 13")
     */
    @Override
    public EgressSink forPartition(int partition) {
        ThreadBatches own = new ThreadBatches();
        return new EgressSink() {
            @Override
            public void emit(long epoch, EgressMessage message) {
                own.emit(epoch, message);
            }

            @Override
            public void flush() {
                own.flush();
            }

            @Override
            public String refusal(EgressMessage message) {
                return own.refusal(message);
            }
        };
    }

    @Override
    public void commit(long epoch) {
        for (EgressLog log : logs.openLogs()) {
            log.commit(epoch);
        }
    }

    /** @return the logs */
    public EgressLogs logs() {
        return logs;
    }

    @Override
    public void close() {
        logs.close();
    }

    /** One thread's (or one partition's) batches, one per egress it emitted to; used by that thread only. */
    private final class ThreadBatches {
        private final HashMap<TypeName, EgressBatch> byEgress = new HashMap<>();
        private final List<EgressBatch> all = new ArrayList<>();
        /** The last egress emitted to: a function usually emits to one, so the map is rarely needed. */
        private TypeName lastEgress;
        private EgressBatch lastBatch;

        /** As {@link EgressLogSink#refusal}; an egress this thread emitted to last needs no look at the logs. */
        String refusal(EgressMessage message) {
            TypeName egress = message.egressId();
            String tooLarge = EgressBatch.refusal(egress, message.valueTypeName(), message.rawValue());
            return tooLarge != null || egress == lastEgress ? tooLarge : beyondBound(egress);
        }

        /** @return why the logs cannot take one more egress, unless this thread has emitted to it before */
        private String beyondBound(TypeName egress) {
            return byEgress.containsKey(egress) ? null : logs.refusal(egress);
        }

        void emit(long epoch, EgressMessage message) {
            batchFor(message.egressId()).add(epoch, message.valueTypeName(), message.rawValue());
        }

        EgressBatch batchFor(TypeName egress) {
            if (egress == lastEgress) {
                return lastBatch;
            }
            EgressBatch batch = byEgress.get(egress);
            if (batch == null) {
                batch = logs.get(egress).newBatch();
                byEgress.put(egress, batch);
                all.add(batch);
            }
            lastEgress = egress;
            lastBatch = batch;
            return batch;
        }

        /** Flushes every batch, even when one fails; then throws the first failure. */
        void flush() {
            RuntimeException failure = null;
            for (int i = 0; i < all.size(); i++) {
                try {
                    all.get(i).flush();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
