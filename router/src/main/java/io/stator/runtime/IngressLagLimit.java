package io.stator.runtime;

import io.stator.ingress.IngressLog;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntToLongFunction;

/**
 * Whether the HTTP ingress should refuse new records: while some partition has more than a bound of the ingress
 * log's documents left to read. The log is durable, so a partition that is busy or briefly backpressured (a peer's
 * inbox full) loses nothing by falling behind; refusing on every such moment made clients retry under ordinary
 * cross-partition load. The bound stops a lag that only grows. Any thread may ask; the answer is at most
 * {@code recheckNanos} old, and one caller at a time measures it (a count of the log's documents per partition).
 */
final class IngressLagLimit {
    private final IngressLog log;
    private final int partitions;
    private final IntToLongFunction readPosition;
    private final long maxDocuments;
    private final long recheckNanos;
    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile long measuredAt;
    private volatile boolean exceeded;

    /**
     * @param log          the ingress log
     * @param partitions   how many partitions read it
     * @param readPosition a partition's read position in the log, by partition index; any thread
     * @param maxDocuments the most documents (a record, or a batch) a partition may have left to read; positive
     * @param recheckNanos how long an answer is reused
     */
    IngressLagLimit(IngressLog log, int partitions, IntToLongFunction readPosition, long maxDocuments,
            long recheckNanos) {
        if (maxDocuments <= 0) {
            throw new IllegalArgumentException("the ingress lag bound must be positive, was " + maxDocuments);
        }
        this.log = log;
        this.partitions = partitions;
        this.readPosition = readPosition;
        this.maxDocuments = maxDocuments;
        this.recheckNanos = recheckNanos;
        this.measuredAt = System.nanoTime() - recheckNanos;
    }

    /** @return whether some partition was more than the bound behind the log's end when last measured */
    boolean exceeded() {
        if (System.nanoTime() - measuredAt >= recheckNanos && measuring.compareAndSet(false, true)) {
            try {
                exceeded = measure();
                measuredAt = System.nanoTime();
            } finally {
                measuring.set(false);
            }
        }
        return exceeded;
    }

    private boolean measure() {
        for (int p = 0; p < partitions; p++) {
            if (log.documentsFromCheaply(readPosition.applyAsLong(p)) > maxDocuments) {
                return true;
            }
        }
        return false;
    }
}
